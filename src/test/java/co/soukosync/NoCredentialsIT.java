package co.soukosync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

// no other class has this configuration: its context is closed after the class
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestPropertySource(properties = {"soukosync.api.user=", "soukosync.api.password=", "soukosync.demo.enabled=false"})
class NoCredentialsIT extends IntegrationSupport {

    @Test
    void withoutCredentialsEachRunIsAnErrorRunSayingWhatToSet() {
        JsonNode answer = patch("/api/syncall").json();

        assertThat(answer.get("response").asText()).isEqualTo("error");
        assertThat(answer.at("/data/reason").asText()).isEqualTo("no_credentials");
        assertThat(answer.at("/data/stage").asText()).isEqualTo("auth");
        assertThat(answer.at("/data/message").asText()).contains("API_TOKEN").contains("API_USER");
        assertThat(Upstream.SERVER.getAllServeEvents()).isEmpty();
        assertThat(rows("SELECT outcome, error_reason FROM sync_runs").get(0))
                .containsEntry("outcome", "error").containsEntry("error_reason", "no_credentials");
        assertThat(count("SELECT count(*) FROM users")).isZero();
    }
}
