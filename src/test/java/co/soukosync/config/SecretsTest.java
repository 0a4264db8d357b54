package co.soukosync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void redactHidesEverySecretTheServiceKnows() {
        Secrets secrets = new Secrets("secret-password", "", "api-key-1234", "db-pass-5678", "", "console-9999", "", List.of());
        secrets.granted("tok-987654");

        assertThat(secrets.redact("sent secret-password and got tok-987654, key api-key-1234, db db-pass-5678, ui console-9999"))
                .isEqualTo("sent *** and got ***, key ***, db ***, ui ***");
    }

    @Test
    void aManualTokenIsASecretToo() {
        Secrets secrets = new Secrets("", "manual-token-42", "", "", "", "", "", List.of());

        assertThat(secrets.redact("Bearer manual-token-42")).isEqualTo("Bearer ***");
    }

    @Test
    void theTokensGrantedBeforeStaySecretForLateLogLines() {
        Secrets secrets = new Secrets("", "", "", "", "", "", "", List.of());
        for (int i = 1; i <= 9; i++) {
            secrets.granted("granted-token-" + i);
        }

        assertThat(secrets.redact("granted-token-9 granted-token-2")).isEqualTo("*** ***");
        assertThat(secrets.redact("granted-token-1")).as("only the last 8 are kept").isEqualTo("granted-token-1");
    }

    @Test
    void aWebhooksPathAndQueryAreSecretsOfTheirOwn() {
        Secrets secrets = new Secrets("", "", "", "", "", "", "https://hooks.example.com/services/T0/B0/XyZ123?token=q-5555", List.of());

        assertThat(secrets.redact("POST /services/T0/B0/XyZ123?token=q-5555 HTTP/1.1")).isEqualTo("POST /*** HTTP/1.1");
        assertThat(secrets.redact("No static resource services/T0/B0/XyZ123.")).isEqualTo("No static resource ***.");
        assertThat(secrets.redact("query token=q-5555")).isEqualTo("query ***");
        assertThat(secrets.redact("calling https://hooks.example.com/ for a run")).isEqualTo("calling https://hooks.example.com/ for a run");
    }

    @Test
    void theConsolesBasicCredentialsAreASecretButTheDefaultDatabasePasswordIsNot() {
        Secrets secrets = new Secrets("", "", "", "postgres", "ops", "console-9999", "", List.of());

        assertThat(secrets.redact("Authorization: Basic b3BzOmNvbnNvbGUtOTk5OQ==")).isEqualTo("Authorization: Basic ***==");
        assertThat(secrets.redact("jdbc:postgresql://database:5432/soukosync")).isEqualTo("jdbc:postgresql://database:5432/soukosync");
    }

    @Test
    void theCredentialsOfTheChangesEndpointAreSecretsAndItsTopicIsNot() {
        assertThat(Secrets.endpointParts("https://pusher:Pw-Of-Push9@hooks.example.com/changes"))
                .contains("pusher:Pw-Of-Push9", "Pw-Of-Push9");
        assertThat(Secrets.endpointParts("kafka:soukosync.changes?brokers=k1:9093&saslJaasConfig=RAW(org.apache.kafka"
                + ".common.security.plain.PlainLoginModule required username=\"u\" password=\"s3cret-K\";)"
                + "&sslKeyPassword=KeyPass-77"))
                .contains("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"s3cret-K\";",
                        "KeyPass-77")
                .doesNotContain("soukosync.changes", "k1:9093");
    }
}
