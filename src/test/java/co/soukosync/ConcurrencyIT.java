package co.soukosync;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.camel.CamelContext;
import org.apache.camel.component.seda.SedaEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class ConcurrencyIT extends IntegrationSupport {

    @Autowired
    CamelContext camel;

    @Test
    void concurrentSyncallsRunOneAfterAnotherAndEachAnswersItsOwnRun() throws Exception {
        Upstream.serveWarehouses(Upstream.json(Upstream.warehousesAnswer().toString()).withFixedDelay(150));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Answer>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> patch("/api/syncall"), pool));
            }
            List<Long> runIds = new ArrayList<>();
            for (CompletableFuture<Answer> call : calls) {
                Answer answer = call.get();
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.json().get("response").asText()).isEqualTo("ok");
                runIds.add(answer.json().get("run_id").asLong());
            }
            assertThat(runIds).doesNotHaveDuplicates().hasSize(4);
        } finally {
            pool.shutdownNow();
        }

        assertNoOverlap(rows("SELECT id, started_at, finished_at FROM sync_runs ORDER BY started_at"));
        assertThat(count("SELECT count(*) FROM sync_runs WHERE outcome = 'ok' AND trigger = 'call'")).isEqualTo(4);
    }

    @Test
    void castsArrivingWhileOneIsPendingJoinIt() throws Exception {
        Upstream.serveWarehouses(Upstream.json(Upstream.warehousesAnswer().toString()).withFixedDelay(700));
        CompletableFuture<Answer> call = CompletableFuture.supplyAsync(() -> patch("/api/syncall"));
        // the call's run is in progress once it asked for the warehouses
        await().atMost(Duration.ofSeconds(10)).until(() ->
                !Upstream.SERVER.findAll(getRequestedFor(urlPathEqualTo(Upstream.WAREHOUSES))).isEmpty());

        for (int i = 0; i < 5; i++) {
            Answer cast = patch("/api/syncast");
            assertThat(cast.status()).isEqualTo(200);
            assertThat(cast.json().get("data").asText()).isEqualTo("sync casted");
        }
        assertThat(call.get().json().get("response").asText()).isEqualTo("ok");

        SedaEndpoint queue = camel.getEndpoint("seda:sync-cast", SedaEndpoint.class);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                count("SELECT count(*) FROM sync_runs WHERE outcome <> 'running'") == 2
                        && queue.getCurrentQueueSize() == 0 && camel.getInflightRepository().size() == 0);
        assertThat(jdbc.queryForList("SELECT trigger FROM sync_runs ORDER BY id", String.class))
                .containsExactly("call", "cast");
    }

    @Test
    void aCastAfterTheLastOneStartedQueuesAnotherRun() {
        patch("/api/syncast");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM sync_runs WHERE outcome = 'ok'") == 1);

        patch("/api/syncast");

        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM sync_runs WHERE outcome = 'ok'") == 2);
    }

    static void assertNoOverlap(List<Map<String, Object>> runs) {
        for (int i = 1; i < runs.size(); i++) {
            Timestamp previousEnd = (Timestamp) runs.get(i - 1).get("finished_at");
            Timestamp start = (Timestamp) runs.get(i).get("started_at");
            assertThat(previousEnd).as("run %s ends before run %s starts", runs.get(i - 1).get("id"), runs.get(i).get("id"))
                    .isNotNull().isBeforeOrEqualTo(start);
        }
    }
}
