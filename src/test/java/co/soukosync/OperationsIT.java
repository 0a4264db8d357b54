package co.soukosync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
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
    }

    @Test
    void healthShowsItsStatusToAnyoneButItsDetailsToNoOne() {
        patch("/api/syncall");

        Answer health = get("/actuator/health");

        // no console in this configuration: nobody may see the details (paths, versions, runs)
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().at("/components/syncFreshness/status").asText()).isEqualTo("UP");
        assertThat(health.json().findValues("details")).as(health.body()).isEmpty();
        assertThat(health.body()).doesNotContain("lastOutcomes").doesNotContain("PostgreSQL").doesNotContain("\"path\"");
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
    void healthIsDownAfterThreeFailedRuns() {
        patch("/api/syncall");
        Upstream.serveWarehouses(aResponse().withStatus(404));
        for (int i = 0; i < 3; i++) {
            patch("/api/syncall");
        }

        Answer health = get("/actuator/health");

        assertThat(health.status()).isEqualTo(503);
        assertThat(health.json().at("/components/syncFreshness/status").asText()).isEqualTo("DOWN");
        assertThat(health.json().at("/components/db/status").asText()).isEqualTo("UP");
    }

    @Test
    void healthIsDownWhenTheLastSuccessIsStale() {
        jdbc.update("INSERT INTO sync_runs (trigger, started_at, finished_at, outcome) "
                + "VALUES ('schedule', now() - interval '1 hour', now() - interval '1 hour', 'ok')");

        Answer health = get("/actuator/health");

        assertThat(health.status()).isEqualTo(503);
        assertThat(health.json().at("/components/syncFreshness/status").asText()).isEqualTo("DOWN");
    }

    /** The value of one series on /actuator/prometheus (0 when absent); this context's metrics add up across tests. */
    private double metric(String series) {
        return get("/actuator/prometheus").body().lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1))).findFirst().orElse(0);
    }

    @Test
    void prometheusShowsSyncAndRouteMetricsWithHelpAndBuckets() {
        String ok = "soukosync_sync_runs_total{kind=\"sync\",outcome=\"ok\",trigger=\"call\"}";
        double okBefore = metric(ok);
        double slowestBucketBefore = metric("soukosync_sync_duration_seconds_bucket{le=\"600.0\"}");

        patch("/api/syncall");

        assertThat(metric(ok)).isEqualTo(okBefore + 1);
        assertThat(metric("soukosync_sync_duration_seconds_bucket{le=\"600.0\"}")).isEqualTo(slowestBucketBefore + 1);
        assertThat(metric("soukosync_sync_rows{change=\"inserted\",entity=\"warehouses\"}")).isEqualTo(5);
        assertThat(metric("soukosync_sync_rows{change=\"added\",entity=\"links\"}")).isEqualTo(5);
        assertThat(metric("soukosync_sync_last_success_timestamp_seconds")).isCloseTo(System.currentTimeMillis() / 1000.0,
                org.assertj.core.data.Offset.offset(30.0));
        String metrics = get("/actuator/prometheus").body();
        assertThat(metrics).contains("soukosync_sync_duration_seconds_bucket{le=\"0.1\"}")
                .containsPattern("camel_exchanges_total\\{[^}]*routeId=\"sync-run\"");
        for (String name : List.of("soukosync_sync_runs_total", "soukosync_sync_duration_seconds", "soukosync_sync_rows",
                "soukosync_sync_last_success_timestamp_seconds")) {
            assertThat(metrics).containsPattern("# HELP " + name + " \\S+");
        }
    }

    @Test
    void aDryRunIsCountedApartAndNeverTakenForTheLastSuccess() {
        String dryOk = "soukosync_sync_runs_total{kind=\"dry_run\",outcome=\"ok\",trigger=\"call\"}";
        String ok = "soukosync_sync_runs_total{kind=\"sync\",outcome=\"ok\",trigger=\"call\"}";
        double dryBefore = metric(dryOk);
        double okBefore = metric(ok);

        assertThat(patch("/api/syncall?dry_run=true").json().get("response").asText()).isEqualTo("ok");

        assertThat(metric(dryOk)).isEqualTo(dryBefore + 1);
        assertThat(metric(ok)).isEqualTo(okBefore);

        patch("/api/syncall");
        double lastSuccess = metric("soukosync_sync_last_success_timestamp_seconds");
        ObjectNode renamed = Upstream.warehousesAnswer();
        Upstream.warehouses(renamed).forEach(w -> ((ObjectNode) w).put("name", "renamed"));
        Upstream.serveWarehouses(renamed);
        patch("/api/syncall?dry_run=true");

        // still the real run's rows (5 inserted), not the dry run's (5 updated), and its time
        assertThat(metric("soukosync_sync_rows{change=\"inserted\",entity=\"warehouses\"}")).isEqualTo(5);
        assertThat(metric("soukosync_sync_rows{change=\"updated\",entity=\"warehouses\"}")).isZero();
        assertThat(metric("soukosync_sync_last_success_timestamp_seconds")).isEqualTo(lastSuccess);
    }

    @Test
    void everyRunCounterIsThereAtZeroBeforeItsFirstRun() {
        // the schedule is off in this configuration: none of its runs ever happened
        String metrics = get("/actuator/prometheus").body();
        for (String trigger : List.of("schedule", "call", "cast")) {
            for (String outcome : List.of("ok", "error")) {
                assertThat(metrics).as("%s %s", trigger, outcome)
                        .containsPattern("(?m)^soukosync_sync_runs_total\\{kind=\"sync\",outcome=\"" + outcome
                                + "\",trigger=\"" + trigger + "\"\\} ");
            }
        }
        for (String outcome : List.of("ok", "error")) {
            assertThat(metrics).containsPattern("(?m)^soukosync_sync_runs_total\\{kind=\"dry_run\",outcome=\"" + outcome
                    + "\",trigger=\"call\"\\} ");
        }
        for (String outcome : List.of("ok", "error", "skipped")) {
            assertThat(metric("soukosync_sync_runs_total{kind=\"sync\",outcome=\"" + outcome + "\",trigger=\"schedule\"}"))
                    .as(outcome).isZero();
        }
        assertThat(metrics).contains("soukosync_sync_runs_total{kind=\"sync\",outcome=\"skipped\",trigger=\"schedule\"} 0.0");
    }

    @Test
    void noMetricLabelNamesTheUpstreamOrItsUser() {
        patch("/api/syncall");
        Upstream.serveWarehouses(aResponse().withStatus(503));
        patch("/api/syncall");

        String upstream = java.net.URI.create(Upstream.baseUrl()).getAuthority();
        List<String> labels = get("/actuator/prometheus").body().lines().filter(line -> !line.startsWith("#"))
                .filter(line -> line.contains("{")).map(line -> line.substring(line.indexOf('{'), line.lastIndexOf('}') + 1))
                .toList();
        assertThat(labels).as("labels").isNotEmpty().anySatisfy(label -> assertThat(label).contains("routeId=\"sync-run\""));
        assertThat(labels).as("labels").noneSatisfy(label -> assertThat(label)
                .containsAnyOf(upstream, "/iam/users", "users/233"));
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
        assertThat(paths.at("/~1api~1syncall/patch").isMissingNode()).isFalse();
        assertThat(paths.has("/api/syncast")).isTrue();
        assertThat(paths.has("/api/synlast")).isTrue();
        assertThat(paths.at("/~1api~1synlast/get/parameters/0/name").asText()).isEqualTo("count");
        assertThat(paths.has("/api/users/{id}")).isTrue();
        assertThat(paths.has("/api/warehouses/{id}")).isTrue();
    }
}
