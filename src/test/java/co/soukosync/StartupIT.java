package co.soukosync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import co.soukosync.db.ServerPorts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.core.Ordered;

/**
 * The service while it starts: Tomcat accepts connections before Camel's routes exist, and the
 * API must say "not yet" (503 with Retry-After), not "no such endpoint".
 */
class StartupIT {

    @RegisterExtension
    static final WireMockExtension UPSTREAM = Upstream.SERVER;

    static final ExternalPostgres DATABASE = new ExternalPostgres();
    static final CountDownLatch CAMEL_MAY_START = new CountDownLatch(1);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static ConfigurableApplicationContext app;

    /** Holds the start of Camel (which starts on this event, after Tomcat) until the test lets it go. */
    static class HoldCamel implements ApplicationListener<ContextRefreshedEvent>, Ordered {
        @Override
        public void onApplicationEvent(ContextRefreshedEvent event) {
            try {
                CAMEL_MAY_START.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }

    @AfterAll
    static void stop() {
        CAMEL_MAY_START.countDown();
        if (app != null) {
            app.close();
        }
    }

    @Test
    void beforeItIsReadyTheApiAnswers503WithRetryAfterAndThenServes() throws Exception {
        int port = ServerPorts.free();
        String url = DATABASE.jdbcUrl();
        CompletableFuture<ConfigurableApplicationContext> starting = CompletableFuture.supplyAsync(() ->
                new SpringApplicationBuilder(SoukosyncApplication.class).listeners(new HoldCamel()).run(
                        "--server.port=" + port, "--soukosync.db.host=localhost", "--spring.datasource.url=" + url,
                        "--spring.datasource.password=", "--soukosync.api.base-url=" + Upstream.baseUrl(),
                        "--soukosync.api.user=" + Upstream.USER, "--soukosync.api.password=" + Upstream.PASSWORD,
                        "--soukosync.schedule.enabled=false", "--spring.quartz.scheduler-name=startup-it"));
        Upstream.serveRecorded();

        HttpResponse<String> early = await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
                .until(() -> call("PATCH", port, "/api/syncall"), r -> r != null);

        assertThat(early.statusCode()).as(early.body()).isEqualTo(503);
        assertThat(early.headers().firstValue("Retry-After")).isPresent();
        assertThat(early.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode json = new ObjectMapper().readTree(early.body());
        assertThat(json.at("/data/reason").asText()).isEqualTo("starting");
        assertThat(call("GET", port, "/api/synlast").statusCode()).isEqualTo(503);
        assertThat(call("GET", port, "/actuator/health/readiness").statusCode()).isEqualTo(503);

        CAMEL_MAY_START.countDown();
        app = starting.get(90, TimeUnit.SECONDS);

        assertThat(call("GET", port, "/actuator/health/readiness").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = call("PATCH", port, "/api/syncall");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(ready.body()).get("response").asText()).isEqualTo("ok");
    }

    private static HttpResponse<String> call(String method, int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
