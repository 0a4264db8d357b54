package co.soukosync;

import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

/** Two replicas on one PostgreSQL: runs never overlap across them, and they share the history. */
// the other replica runs on DeploymentSupport's DATABASE too
class ReplicasIT extends DeploymentSupport {

    @Autowired
    CamelContext camel;

    static ConfigurableApplicationContext replica;

    @BeforeEach
    void startTheOtherReplica() {
        // after this test's own context: started before it, the replica's REST routes answered
        // 404 in this shared JVM (replicas in production are separate JVMs)
        if (replica == null) {
            replica = startReplica(DATABASE.jdbcUrl());
        }
    }

    @AfterAll
    static void stopTheOtherReplica() {
        replica.close();
    }

    @Test
    void syncallsOnBothReplicasAtOnceNeverOverlapAndEachAnswersItsOwnRun() throws Exception {
        Upstream.serveWarehouses(Upstream.json(Upstream.warehousesAnswer().toString()).withFixedDelay(150));
        int otherPort = portOf(replica);
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

    @Test
    void aScheduledFireOrARepairWhileTheOtherReplicaRunsLeavesItsRunAlone() throws Exception {
        Upstream.serveWarehouses(Upstream.json(Upstream.warehousesAnswer().toString()).withFixedDelay(1500));
        CompletableFuture<Answer> call = CompletableFuture.supplyAsync(() -> sendTo(portOf(replica), "PATCH", "/api/syncall"));
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
}
