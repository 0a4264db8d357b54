package co.soukosync;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import co.soukosync.db.DataFolders;
import co.soukosync.db.ServerPorts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SIGTERM to the service as an operator (or `docker stop`) sends it, on the zero-config start: the
 * run in progress finishes before anything stops, its embedded PostgreSQL last of all, and the stop
 * logs no error. The whole application runs in a JVM of its own, so that the signal reaches it as
 * it reaches the real service (with its shutdown hooks).
 */
class GracefulStopIT {

    @RegisterExtension
    static final WireMockExtension UPSTREAM = Upstream.SERVER;

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private Process service;

    @AfterEach
    void stopService() {
        if (service != null && service.isAlive()) {
            service.destroyForcibly();
        }
    }

    @Test
    void aRunInProgressFinishesAndTheEmbeddedDatabaseStopsLastWithoutAnError() throws Exception {
        Upstream.serveRecorded();
        Path dir = DataFolders.embedded("pg-stop-", IntegrationSupport.BINARIES);
        Path log = Path.of("target", dir.getFileName() + ".log");
        int port = ServerPorts.free();
        service = ServiceJvm.start(log, List.of(), "--server.port=" + port,
                "--soukosync.db.embedded-dir=" + dir, "--soukosync.db.embedded-durable=false",
                "--soukosync.db.embedded-binaries-dir=" + IntegrationSupport.BINARIES,
                "--soukosync.api.base-url=" + Upstream.baseUrl(), "--soukosync.api.user=" + Upstream.USER,
                "--soukosync.api.password=" + Upstream.PASSWORD, "--soukosync.schedule.enabled=false");
        await().atMost(Duration.ofSeconds(180)).until(() -> !service.isAlive() || ServiceJvm.ready(port));
        assertThat(service.isAlive()).as("the service started (its log: %s)", log).isTrue();

        // the warehouses answer takes 2 s: the stop comes while the run waits for it (the signal is
        // sent as soon as the request is seen, within 50 ms)
        Upstream.serveWarehouses(Upstream.json(Upstream.warehousesAnswer().toString()).withFixedDelay(2000));
        CompletableFuture<HttpResponse<String>> call = HTTP.sendAsync(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/syncall"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(90)).build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(30)).until(() ->
                !UPSTREAM.findAll(getRequestedFor(urlPathEqualTo(Upstream.WAREHOUSES))).isEmpty());
        service.destroy(); // SIGTERM

        HttpResponse<String> answer = call.get(90, TimeUnit.SECONDS);
        JsonNode json = new ObjectMapper().readTree(answer.body());
        assertThat(json.get("response").asText()).as(answer.body()).isEqualTo("ok");
        assertThat(service.waitFor(90, TimeUnit.SECONDS)).as("the service stopped").isTrue();
        String output = Files.readString(log);
        assertThat(output.lines().filter(line -> line.contains(" ERROR ")).toList()).as("error lines of the stop").isEmpty();
        assertThat(output).contains("Graceful shutdown complete");
        // the stop began while the run waited for the upstream, not after it
        List<String> lines = output.lines().toList();
        int stopping = indexOf(lines, "Commencing graceful shutdown");
        int runEnded = indexOf(lines, "(call) ok");
        assertThat(stopping).as("the stop's first line").isNotNegative();
        assertThat(runEnded).as("the run's line").isGreaterThan(stopping);
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
