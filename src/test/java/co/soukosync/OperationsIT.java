package co.soukosync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** What operators watch: health, metrics and the OpenAPI document. */
class OperationsIT extends IntegrationSupport {

    @Test
    void healthIsUpWithTheDatabaseAndAFreshSync() {
        patch("/api/syncall");

        Answer health = get("/actuator/health");

        assertThat(health.status()).isEqualTo(200);
        JsonNode json = health.json();
        assertThat(json.get("status").asText()).isEqualTo("UP");
        assertThat(json.at("/components/db/status").asText()).isEqualTo("UP");
        assertThat(json.at("/components/syncFreshness/status").asText()).isEqualTo("UP");
        assertThat(json.at("/components/syncFreshness/details/lastOutcomes/0").asText()).isEqualTo("ok");
    }

    @Test
    void livenessStaysUpWhileTheSyncFails() {
        Upstream.serveWarehouses(aResponse().withStatus(404));
        for (int i = 0; i < 3; i++) {
            patch("/api/syncall");
        }

        assertThat(get("/actuator/health").status()).isEqualTo(503);
        Answer liveness = get("/actuator/health/liveness");
        assertThat(liveness.status()).isEqualTo(200);
        assertThat(liveness.json().get("status").asText()).isEqualTo("UP");
    }

    @Test
    void healthIsDownAfterThreeFailedRunsAndSaysWhy() {
        patch("/api/syncall");
        Upstream.serveWarehouses(aResponse().withStatus(404));
        for (int i = 0; i < 3; i++) {
            patch("/api/syncall");
        }

        Answer health = get("/actuator/health");

        assertThat(health.status()).isEqualTo(503);
        assertThat(health.json().at("/components/syncFreshness/status").asText()).isEqualTo("DOWN");
        assertThat(health.json().at("/components/syncFreshness/details/reason").asText())
                .isEqualTo("the last 3 runs failed: http_404");
        assertThat(health.json().at("/components/db/status").asText()).isEqualTo("UP");
    }

    @Test
    void healthIsDownWhenTheLastSuccessIsStale() {
        jdbc.update("INSERT INTO sync_runs (trigger, started_at, finished_at, outcome) "
                + "VALUES ('schedule', now() - interval '1 hour', now() - interval '1 hour', 'ok')");

        Answer health = get("/actuator/health");

        assertThat(health.json().at("/components/syncFreshness/status").asText()).isEqualTo("DOWN");
        assertThat(health.json().at("/components/syncFreshness/details/reason").asText())
                .startsWith("the last successful sync is 36");
    }

    @Test
    void prometheusShowsSyncAndRouteMetrics() {
        patch("/api/syncall");

        Answer metrics = get("/actuator/prometheus");

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body())
                .containsPattern("soukosync_sync_runs_total\\{outcome=\"ok\",trigger=\"call\"} [1-9]")
                .containsPattern("soukosync_sync_duration_seconds_count\\S* [1-9]")
                .contains("soukosync_sync_rows{change=\"inserted\",entity=\"warehouses\"} 5.0")
                .contains("soukosync_sync_rows{change=\"added\",entity=\"links\"} 5.0")
                .containsPattern("soukosync_sync_last_success_timestamp_seconds [1-9]")
                .containsPattern("camel_exchanges_total\\{[^}]*routeId=\"sync-run\"");
    }

    @Test
    void withoutManagementCredentialsTheConsolesDoNotExist() {
        assertThat(get("/actuator/hawtio").status()).isEqualTo(404);
        assertThat(get("/actuator/jolokia").status()).isEqualTo(404);
        assertThat(get("/actuator/camel").status()).isEqualTo(404);
    }

    @Test
    void theOpenApiDocumentDescribesEveryEndpoint() {
        Answer doc = get("/api/openapi.json");

        assertThat(doc.status()).isEqualTo(200);
        JsonNode paths = doc.json().get("paths");
        assertThat(paths.has("/api/syncall")).isTrue();
        assertThat(paths.at("/~1api~1syncall/patch")).isNotNull();
        assertThat(paths.has("/api/syncast")).isTrue();
        assertThat(paths.has("/api/synlast")).isTrue();
        assertThat(paths.at("/~1api~1synlast/get/parameters/0/name").asText()).isEqualTo("count");
        assertThat(paths.has("/api/users/{id}")).isTrue();
        assertThat(paths.has("/api/warehouses/{id}")).isTrue();
    }
}
