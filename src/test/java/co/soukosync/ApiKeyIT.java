package co.soukosync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** SOUKOSYNC_API_KEY set (DeploymentSupport): every API call needs it. */
class ApiKeyIT extends DeploymentSupport {

    private HttpResponse<String> call(String method, String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer ", "Bearer wrong", "Bearer k3y-for-the-api-012345678", "Basic " + KEY, KEY})
    void withoutTheKeyEveryApiCallIs401Json(String authorization) throws Exception {
        for (String[] call : new String[][] {{"PATCH", "/api/syncall"}, {"PATCH", "/api/syncast"},
                {"GET", "/api/synlast"}, {"GET", "/api/users"}, {"GET", "/api/nothing"}}) {
            HttpResponse<String> answer = call(call[0], call[1], authorization.isEmpty() ? null : authorization);

            assertThat(answer.statusCode()).as("%s %s", call[0], call[1]).isEqualTo(401);
            assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            assertThat(JSON.readTree(answer.body()).at("/data/reason").asText()).isEqualTo("unauthorized");
        }
        assertThat(count("SELECT count(*) FROM sync_runs")).isZero();
        assertThat(Upstream.SERVER.getAllServeEvents()).isEmpty();
    }

    @Test
    void withTheKeyTheApiAnswers() throws Exception {
        HttpResponse<String> answer = call("PATCH", "/api/syncall", "Bearer " + KEY);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).get("data").asText()).isEqualTo("6 upserted");
        assertThat(call("GET", "/api/synlast", "Bearer " + KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void healthStaysOpen() throws Exception {
        assertThat(call("GET", "/actuator/health", null).statusCode()).isEqualTo(200);
    }
}
