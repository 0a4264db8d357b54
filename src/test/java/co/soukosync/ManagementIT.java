package co.soukosync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** MANAGEMENT_USER and MANAGEMENT_PASSWORD set (DeploymentSupport, with JMX on): the consoles, behind HTTP basic auth. */
class ManagementIT extends DeploymentSupport {

    @Autowired
    CamelContext camel;

    private HttpResponse<String> call(String path, String user, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
                .send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theConsolesNeedTheManagementCredentials() throws Exception {
        for (String path : new String[] {"/actuator/hawtio/", "/actuator/jolokia", "/actuator/camel"}) {
            assertThat(call(path, null, null).statusCode()).as(path).isEqualTo(401);
            assertThat(call(path, "ops", "wrong").statusCode()).as(path).isEqualTo(401);
            assertThat(call(path, "ops", CONSOLE_PASSWORD).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(call("/actuator/health", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void hawtioServesItsConsoleAndJolokiaShowsTheCamelRoutesAndTheirStatistics() throws Exception {
        patch("/api/syncall");

        HttpResponse<String> hawtio = call("/actuator/hawtio/", "ops", CONSOLE_PASSWORD);
        assertThat(hawtio.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(hawtio.body()).containsIgnoringCase("hawtio");

        // the JMX name is "soukosync", with a suffix when other test contexts took it first
        String routeMBean = "/actuator/jolokia/read/org.apache.camel:context=" + camel.getManagementName()
                + ",type=routes,name=%22sync-run%22/";
        HttpResponse<String> state = call(routeMBean + "State", "ops", CONSOLE_PASSWORD);
        assertThat(JSON.readTree(state.body()).get("value").asText()).as(state.body()).isEqualTo("Started");
        HttpResponse<String> completed = call(routeMBean + "ExchangesCompleted", "ops", CONSOLE_PASSWORD);
        assertThat(JSON.readTree(completed.body()).get("value").asLong()).as(completed.body()).isGreaterThanOrEqualTo(1);

        HttpResponse<String> devConsole = call("/actuator/camel/route", "ops", CONSOLE_PASSWORD);
        assertThat(devConsole.statusCode()).isEqualTo(200);
        assertThat(devConsole.body()).contains("sync-run");
    }

    @Test
    void theDevConsoleServesTheRouteSourcesThatHawtiosSourceTabCannotLoadOffline() throws Exception {
        HttpResponse<String> answer = call("/actuator/camel/source", "ops", CONSOLE_PASSWORD);
        assertThat(answer.statusCode()).isEqualTo(200);

        JsonNode syncRun = null;
        for (JsonNode route : JSON.readTree(answer.body()).path("source").path("routes")) {
            if ("sync-run".equals(route.path("routeId").asText())) {
                syncRun = route;
            }
        }
        assertThat(syncRun).as(answer.body()).isNotNull();
        // a classpath: location, as in the packaged jar, where a wildcard gave unreadable nested: ones
        assertThat(syncRun.path("source").asText()).matches("classpath:routes/[a-z-]+\\.camel\\.yaml:\\d+");
        List<String> lines = new ArrayList<>();
        syncRun.path("code").forEach(line -> lines.add(line.path("code").asText()));
        assertThat(lines).as(syncRun.toString()).anySatisfy(line -> assertThat(line).contains("id: sync-run"));
    }
}
