package co.soukosync;

import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

/** Two replicas on one PostgreSQL: runs never overlap across them, and they share the history. */
// the other replica runs on DeploymentSupport's DATABASE too; the test of an instance started after
// runs comes first and starts it
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT extends DeploymentSupport {

    @Autowired
    CamelContext camel;

    @Autowired
    co.soukosync.history.ChangesHead changesHead;

    static ConfigurableApplicationContext replica;

    /**
     * The other replica, started at the first call: after this test's own context (started before
     * it, the replica's REST routes answered 404 in this shared JVM; replicas in production are
     * separate JVMs).
     */
    private static ConfigurableApplicationContext otherReplica() {
        if (replica == null) {
            replica = startReplica(DATABASE.jdbcUrl());
        }
        return replica;
    }

    @AfterAll
    static void stopTheOtherReplica() {
        if (replica != null) {
            replica.close();
        }
    }

    @Test
    @Order(2)
    void syncallsOnBothReplicasAtOnceNeverOverlapAndEachAnswersItsOwnRun() throws Exception {
        Upstream.serveWarehouses(Upstream.json(Upstream.warehousesAnswer().toString()).withFixedDelay(150));
        int otherPort = portOf(otherReplica());
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<CompletableFuture<Answer>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> patch("/api/syncall"), pool));
                calls.add(CompletableFuture.supplyAsync(() -> sendTo(otherPort, "PATCH", "/api/syncall"), pool));
            }
            List<Long> runs = new ArrayList<>();
            for (CompletableFuture<Answer> call : calls) {
                Answer answer = call.get();
                assertThat(answer.json().get("response").asText()).as(answer.body()).isEqualTo("ok");
                runs.add(answer.json().get("run_id").asLong());
            }
            assertThat(runs).doesNotHaveDuplicates().hasSize(6);
        } finally {
            pool.shutdownNow();
        }
        ConcurrencyIT.assertNoOverlap(rows("SELECT id, started_at, finished_at FROM sync_runs ORDER BY started_at"));
        assertThat(count("SELECT count(*) FROM users_warehouses WHERE user_id = 233")).isEqualTo(5);

        // every replica serves the same history
        assertThat(sendTo(otherPort, "GET", "/api/synlast").json()).isEqualTo(get("/api/synlast").json());
    }

    /** The change feed's long poll on this replica answers as soon as the other replica's run commits. */
    @Test
    @Order(2)
    void aLongPollIsAnsweredByARunOfTheOtherReplica() throws Exception {
        long head = count("SELECT last_seq FROM sync_feed");
        CompletableFuture<Answer> poll = CompletableFuture.supplyAsync(() -> get("/api/changes?after=" + head + "&wait=30"));
        await().atMost(Duration.ofSeconds(10)).until(() -> changesHead.waiting() == 1);

        Answer run = sendTo(portOf(otherReplica()), "PATCH", "/api/syncall");
        assertThat(run.json().get("response").asText()).as(run.body()).isEqualTo("ok");

        Answer answer = poll.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(answer.json().get("data")).hasSize(11);
        assertThat(answer.json().at("/data/0/seq").asLong()).isEqualTo(head + 1);
        assertThat(answer.json().at("/data/0/run_id").asLong()).isEqualTo(run.json().get("run_id").asLong());
    }

    @Test
    @Order(2)
    void aScheduledFireOrARepairWhileTheOtherReplicaRunsLeavesItsRunAlone() throws Exception {
        int otherPort = portOf(otherReplica());
        Upstream.serveWarehouses(Upstream.json(Upstream.warehousesAnswer().toString()).withFixedDelay(1500));
        CompletableFuture<Answer> call = CompletableFuture.supplyAsync(() -> sendTo(otherPort, "PATCH", "/api/syncall"));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                count("SELECT count(*) FROM sync_runs WHERE outcome = 'running'") == 1);

        // what the Quartz route of this replica does when it fires: the gate finds the run lock taken
        camel.createFluentProducerTemplate().to("direct:sync-scheduled").request();

        // nor does this replica's repair of runs left open take the other replica's run for one
        camel.createFluentProducerTemplate().to("direct:history-repair").request();
        assertThat(count("SELECT count(*) FROM sync_runs WHERE outcome = 'running'")).isEqualTo(1);

        assertThat(call.get().json().get("response").asText()).isEqualTo("ok");
        assertThat(jdbc.queryForList("SELECT trigger FROM sync_runs", String.class)).containsExactly("call");
        assertThat(count("SELECT count(*) FROM sync_runs WHERE outcome = 'ok'")).isEqualTo(1);

        // once the other replica has let the run lock go, the same fire runs
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM pg_locks "
                + "WHERE locktype = 'advisory' AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = 91738176450387") == 0);
        camel.createFluentProducerTemplate().to("direct:sync-scheduled").request();
        assertThat(jdbc.queryForList("SELECT trigger FROM sync_runs ORDER BY id", String.class)).containsExactly("call", "schedule");
    }

    @Test
    @Order(1)
    void anInstanceStartedAfterRunsReadsTheLastSuccessAndItsCountsFromTheHistory() throws Exception {
        assertThat(patch("/api/syncall").json().get("response").asText()).isEqualTo("ok");
        ObjectNode renamed = Upstream.warehousesAnswer();
        Upstream.warehouses(renamed).forEach(w -> ((ObjectNode) w).put("name", "renamed"));
        Upstream.serveWarehouses(renamed);
        assertThat(patch("/api/syncall?dry_run=true").json().get("response").asText()).isEqualTo("ok");
        long lastRealRunEnded = count("SELECT floor(extract(epoch FROM finished_at))::bigint FROM sync_runs "
                + "WHERE outcome = 'ok' AND NOT dry_run ORDER BY id DESC LIMIT 1");

        // a restart: a new process on the same database, which has run nothing yet; first of the
        // class, it is the other tests' replica afterwards (one application start fewer)
        boolean first = replica == null;
        ConfigurableApplicationContext restarted = first ? otherReplica() : startReplica(DATABASE.jdbcUrl());
        try {
            String metrics = sendTo(portOf(restarted), "GET", "/actuator/prometheus").body();
            assertThat(series(metrics, "soukosync_sync_last_success_timestamp_seconds")).isEqualTo(lastRealRunEnded);
            // the real run's counts (five warehouses, none updated), not the later dry run's (five updated)
            assertThat(count("SELECT warehouses_updated FROM sync_runs WHERE dry_run ORDER BY id DESC LIMIT 1")).isEqualTo(5);
            assertThat(series(metrics, "soukosync_sync_rows{change=\"inserted\",entity=\"warehouses\"}")
                    + series(metrics, "soukosync_sync_rows{change=\"unchanged\",entity=\"warehouses\"}")).isEqualTo(5);
            assertThat(series(metrics, "soukosync_sync_rows{change=\"updated\",entity=\"warehouses\"}")).isZero();
        } finally {
            if (!first) {
                restarted.close();
            }
        }
    }

    private static double series(String metrics, String series) {
        return metrics.lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(series + " not on /actuator/prometheus"));
    }
}
