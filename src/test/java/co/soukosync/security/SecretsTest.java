package co.soukosync.security;

import static org.assertj.core.api.Assertions.assertThat;

import co.soukosync.upstream.TokenStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void redactHidesEverySecretTheServiceKnows() {
        TokenStore tokens = new TokenStore("", "user", "secret-password", 60, 300, 3600);
        tokens.keep(Map.of("access_token", "tok-987654", "expires_in", 3600));
        Secrets secrets = new Secrets(tokens, "secret-password", "", "api-key-1234", "db-pass-5678", "console-9999", "", "");

        assertThat(secrets.redact("sent secret-password and got tok-987654, key api-key-1234, db db-pass-5678, ui console-9999"))
                .isEqualTo("sent *** and got ***, key ***, db ***, ui ***");
    }

    @Test
    void aManualTokenIsASecretToo() {
        Secrets secrets = new Secrets(new TokenStore("manual-token-42", "", "", 60, 300, 3600), "", "manual-token-42", "", "", "", "", "");

        assertThat(secrets.redact("Bearer manual-token-42")).isEqualTo("Bearer ***");
    }
}
