package co.soukosync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.WireMock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Neither the password nor a token reaches a log line, a history row or an answer. */
@ExtendWith(OutputCaptureExtension.class)
class SecretsIT extends IntegrationSupport {

    private static final String REVOKED_TOKEN = Upstream.TOKEN;
    private static final String NEW_TOKEN = "fresh-token-after-revocation";

    @Test
    void noSecretInLogsHistoryOrAnswers(CapturedOutput output) {
        StringBuilder answers = new StringBuilder();
        answers.append(patch("/api/syncall").body());

        // the token is revoked: one 401, a new grant, a retry
        Upstream.serveOnlyToken(NEW_TOKEN);
        answers.append(patch("/api/syncall").body());

        // the upstream fails and echoes what it was sent
        Upstream.SERVER.stubFor(WireMock.get(urlPathEqualTo(Upstream.ME)).atPriority(1).willReturn(aResponse()
                .withStatus(500).withBody("bad request from " + Upstream.USER + " with Bearer " + NEW_TOKEN
                        + " and " + Upstream.PASSWORD)));
        answers.append(patch("/api/syncall").body());

        // the credentials are refused
        tokenStore.reset();
        Upstream.SERVER.stubFor(post(urlPathEqualTo(Upstream.AUTH)).atPriority(1).willReturn(aResponse()
                .withStatus(401).withBody("{\"error\":\"invalid_grant\",\"password\":\"" + Upstream.PASSWORD + "\"}")));
        answers.append(patch("/api/syncall").body());
        answers.append(get("/api/synlast").body());

        List<String> secrets = List.of(Upstream.PASSWORD, REVOKED_TOKEN, NEW_TOKEN);
        String history = rows("SELECT * FROM sync_runs").toString();
        assertThat(history).contains("unauthorized").contains("http_500");
        for (String secret : secrets) {
            assertThat(output.getAll()).as("logs").doesNotContain(secret);
            assertThat(history).as("history").doesNotContain(secret);
            assertThat(answers.toString()).as("answers").doesNotContain(secret);
        }
        assertThat(output.getAll()).doesNotContain("Bearer ");
        // the capture did see the runs, so the checks above looked at real log lines
        assertThat(output.getAll()).contains("Sync run").contains("unauthorized");
    }
}
