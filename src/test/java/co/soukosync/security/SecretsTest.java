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

    @Test
    void aWebhooksPathAndQueryAreSecretsOfTheirOwn() {
        Secrets secrets = new Secrets(new TokenStore("", "", "", 60, 300, 3600), "", "", "", "", "",
                "https://hooks.example.com/services/T0/B0/XyZ123?token=q-5555", "");

        assertThat(secrets.redact("POST /services/T0/B0/XyZ123?token=q-5555 HTTP/1.1")).isEqualTo("POST /*** HTTP/1.1");
        assertThat(secrets.redact("No static resource services/T0/B0/XyZ123.")).isEqualTo("No static resource ***.");
        assertThat(secrets.redact("query token=q-5555")).isEqualTo("query ***");
        assertThat(secrets.redact("calling https://hooks.example.com/ for a run")).isEqualTo("calling https://hooks.example.com/ for a run");
    }

    @Test
    void theConsolesBasicCredentialsAreASecretButTheDefaultDatabasePasswordIsNot() {
        Secrets secrets = new Secrets(new TokenStore("", "", "", 60, 300, 3600), "", "", "", "postgres", "ops", "console-9999",
                "", "");

        assertThat(secrets.redact("Authorization: Basic b3BzOmNvbnNvbGUtOTk5OQ==")).isEqualTo("Authorization: Basic ***==");
        assertThat(secrets.redact("jdbc:postgresql://database:5432/soukosync")).isEqualTo("jdbc:postgresql://database:5432/soukosync");
    }
}
