package co.soukosync;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

/** The database fails under the service: a killed connection, a restart, a shutdown mid-run. */
// on DeploymentSupport's DATABASE, which the tests stop and start
class DatabaseFaultsIT extends DeploymentSupport {

    @Autowired
    CamelContext camel;

    /**
     * PostgreSQL is back, and so is the application's connection pool. While the database was away
     * the pool's connection adder tried again after 10, 20, 40 ms... up to 5 s (HikariCP's backoff,
     * not the service's), and a request for a connection queues behind that sleep: it is woken, so
     * that the test waits for the database, not for the rest of a backoff.
     */
    private void databaseStarted() {
        DATABASE.start();
        Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().endsWith(":connection-adder"))
                .forEach(Thread::interrupt);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> jdbc.queryForObject("SELECT 1", Integer.class) == 1);
    }

    @AfterEach
    void dropFaults() {
        jdbc.execute("DROP TRIGGER IF EXISTS die_on_300 ON warehouses");
    }

    @Test
    void aConnectionKilledInTheMiddleOfTheWriteLeavesTheMirrorAsItWas() {
        patch("/api/syncall");
        var before = mirror();
        ObjectNode answer = Upstream.warehousesAnswer();
        Upstream.warehouses(answer).forEach(w -> ((ObjectNode) w).put("name", "renamed"));
        Upstream.warehouses(answer).addObject().put("id", 300).put("name", "new").put("line1", "l");
        Upstream.serveWarehouses(answer);
        // the backend writing warehouse 300 (the third batch of two) terminates itself
        jdbc.execute("CREATE OR REPLACE FUNCTION die_on_300() RETURNS trigger LANGUAGE plpgsql AS $$ "
                + "BEGIN IF NEW.id = 300 THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF; RETURN NEW; END $$");
        jdbc.execute("CREATE TRIGGER die_on_300 BEFORE INSERT ON warehouses FOR EACH ROW EXECUTE FUNCTION die_on_300()");

        JsonNode failed = patch("/api/syncall").json();

        assertThat(failed.at("/data/reason").asText()).isEqualTo("db_error");
        assertThat(failed.at("/data/stage").asText()).isEqualTo("store");
        assertThat(mirror()).isEqualTo(before);
        assertThat(rows("SELECT outcome, error_reason FROM sync_runs WHERE id = ?", failed.get("run_id").asLong()).get(0))
                .containsEntry("outcome", "error").containsEntry("error_reason", "db_error");

        jdbc.execute("DROP TRIGGER die_on_300 ON warehouses");
        JsonNode next = patch("/api/syncall").json();

        assertThat(next.get("data").asText()).isEqualTo("7 upserted");
        assertThat(count("SELECT count(*) FROM warehouses WHERE name = 'renamed'")).isEqualTo(5);
        assertThat(count("SELECT count(*) FROM users_warehouses WHERE user_id = 233")).isEqualTo(6);
    }

    @Test
    void aDatabaseDownAtRunTimeKeepsTheApiAnsweringAndTheRunIsRecordedWhenItReturns() throws Exception {
        patch("/api/syncall");
        Upstream.serveWarehouses(Upstream.json(Upstream.warehousesAnswer().toString()).withFixedDelay(1500));
        // the first sync asked for the warehouses too: only the call's request may say that its run is in progress
        Upstream.SERVER.resetRequests();
        CompletableFuture<Answer> call = CompletableFuture.supplyAsync(() -> patch("/api/syncall"));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                !Upstream.SERVER.findAll(getRequestedFor(urlPathEqualTo(Upstream.WAREHOUSES))).isEmpty());
        DATABASE.stop();
        try {
            JsonNode failed = call.get().json();
            assertThat(failed.get("response").asText()).isEqualTo("error");
            assertThat(failed.at("/data/reason").asText()).isEqualTo("db_error");
            long runId = failed.get("run_id").asLong();

            Answer history = get("/api/synlast");
            assertThat(history.status()).isEqualTo(503);
            assertThat(history.json().at("/data/reason").asText()).isEqualTo("db_error");

            // health says DOWN, as a probe expects, rather than failing
            Answer health = raw("GET", "/actuator/health", CONSOLE_AUTHORIZATION);
            assertThat(health.status()).as(health.body()).isEqualTo(503);
            assertThat(health.json().get("status").asText()).isEqualTo("DOWN");
            assertThat(health.json().at("/components/syncFreshness/status").asText()).isEqualTo("DOWN");
            assertThat(health.json().at("/components/syncFreshness/details/reason").asText()).contains("database");

            databaseStarted();
            // the history repair's timer may close the row as interrupted first; history-retry then
            // writes the failure the caller was told over it (run-finish-error.sql)
            await().atMost(Duration.ofSeconds(40)).untilAsserted(() ->
                    assertThat(rows("SELECT outcome, error_reason, error_stage FROM sync_runs WHERE id = ?", runId).get(0))
                            .containsEntry("outcome", "error").containsEntry("error_reason", "db_error")
                            .containsEntry("error_stage", "store"));
        } finally {
            databaseStarted();
        }
        Upstream.serveRecorded();
        assertThat(patch("/api/syncall").json().get("response").asText()).isEqualTo("ok");
    }

    /** Every answer given while PostgreSQL is away says so in the service's words, never in its classes'. */
    @Test
    void whileTheDatabaseIsAwayTheAnswersSaySoWithoutNamingInternals() {
        patch("/api/syncall");
        long runId = jdbc.queryForObject("SELECT max(id) FROM sync_runs", Long.class);
        DATABASE.stop();
        try {
            for (String path : List.of("/api/synlast", "/api/users", "/api/users/233", "/api/users/233/history",
                    "/api/warehouses", "/api/warehouses/1", "/api/warehouses/1/history", "/api/runs/" + runId,
                    "/api/runs/" + runId + "/changes")) {
                Answer answer = get(path);
                assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(503);
                assertThat(answer.json().at("/data/reason").asText()).as(path).isEqualTo("db_error");
                assertThat(answer.json().at("/data/message").asText()).as(path).contains("database")
                        .doesNotContainPattern(Internals.NAMED);
            }
            Answer run = patch("/api/syncall");
            assertThat(run.json().at("/data/reason").asText()).as(run.body()).isEqualTo("db_error");
            assertThat(run.body()).doesNotContainPattern(Internals.NAMED);
            Answer health = get("/actuator/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.body()).doesNotContainPattern(Internals.NAMED);
        } finally {
            databaseStarted();
        }
    }

    @Test
    void aCallRightAfterTheDatabaseStoppedMidRunFailsAtOnceAsDbErrorNotAsBusy() throws Exception {
        Upstream.serveWarehouses(Upstream.json(Upstream.warehousesAnswer().toString()).withFixedDelay(1500));
        CompletableFuture<Answer> call = CompletableFuture.supplyAsync(() -> patch("/api/syncall"));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                !Upstream.SERVER.findAll(getRequestedFor(urlPathEqualTo(Upstream.WAREHOUSES))).isEmpty());
        DATABASE.stop();
        try {
            assertThat(call.get().json().at("/data/reason").asText()).isEqualTo("db_error");

            long start = System.nanoTime();
            Answer next = patch("/api/syncall");
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            // not "another sync was still running" after SYNC_CALL_WAIT_SECONDS (60 s here)
            assertThat(next.json().at("/data/reason").asText()).as(next.body()).isEqualTo("db_error");
            assertThat(next.json().at("/data/message").asText()).contains("database");
            assertThat(took).isLessThan(Duration.ofSeconds(30));
        } finally {
            databaseStarted();
        }
        Upstream.serveRecorded();
        assertThat(patch("/api/syncall").json().get("response").asText()).isEqualTo("ok");
    }

    @Test
    void aCastWhileTheDatabaseIsDownIsRefusedAsDbErrorAndQueuesNothing() {
        DATABASE.stop();
        try {
            Answer cast = patch("/api/syncast");

            assertThat(cast.status()).as(cast.body()).isEqualTo(503);
            assertThat(cast.json().get("response").asText()).isEqualTo("error");
            assertThat(cast.json().at("/data/reason").asText()).isEqualTo("db_error");
            assertThat(cast.json().at("/data/message").asText()).contains("database");
        } finally {
            databaseStarted();
        }
        // the refused cast left nothing pending: a cast now queues a run of its own, and it is recorded
        Answer cast = patch("/api/syncast");
        assertThat(cast.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                count("SELECT count(*) FROM sync_runs WHERE trigger = 'cast' AND outcome = 'ok'") == 1);
        assertThat(count("SELECT count(*) FROM sync_runs")).isEqualTo(1);
    }

    @Test
    void readinessIsDownWhileTheDatabaseIsAwayAndLivenessStaysUp() {
        assertThat(get("/actuator/health/readiness").status()).isEqualTo(200);
        DATABASE.stop();
        try {
            Answer readiness = get("/actuator/health/readiness");
            assertThat(readiness.status()).as(readiness.body()).isEqualTo(503);
            assertThat(readiness.json().get("status").asText()).isEqualTo("DOWN");
            assertThat(readiness.json().at("/components/db/status").asText()).as(readiness.body()).isEqualTo("DOWN");
            assertThat(readiness.body()).doesNotContain("Exception");

            // no restart loop: the process itself is fine
            Answer liveness = get("/actuator/health/liveness");
            assertThat(liveness.status()).isEqualTo(200);
            assertThat(liveness.json().get("status").asText()).isEqualTo("UP");

            // the API goes on answering what it can: a read says the database is away, not "starting"
            Answer read = get("/api/synlast");
            assertThat(read.status()).isEqualTo(503);
            assertThat(read.json().at("/data/reason").asText()).isEqualTo("db_error");
        } finally {
            databaseStarted();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/actuator/health/readiness").status() == 200);
        assertThat(get("/actuator/health/readiness").json().at("/components/db/status").asText()).isEqualTo("UP");
    }

    @Test
    void aRestartOfTheDatabaseMidRunLeavesTheFailureTheCallerWasToldEvenAfterARepair() throws Exception {
        Upstream.serveWarehouses(Upstream.json(Upstream.warehousesAnswer().toString()).withFixedDelay(1500));
        CompletableFuture<Answer> call = CompletableFuture.supplyAsync(() -> patch("/api/syncall"));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                !Upstream.SERVER.findAll(getRequestedFor(urlPathEqualTo(Upstream.WAREHOUSES))).isEmpty());
        DATABASE.stop();
        JsonNode told;
        try {
            told = call.get().json();
        } finally {
            databaseStarted();
        }
        assertThat(told.at("/data/reason").asText()).isEqualTo("db_error");
        long runId = told.get("run_id").asLong();

        // the repair comes first: the run's lock died with the database, so it closes the run as interrupted
        camel.createFluentProducerTemplate().to("direct:history-repair").request();

        await().atMost(Duration.ofSeconds(40)).untilAsserted(() ->
                assertThat(rows("SELECT outcome, error_reason FROM sync_runs WHERE id = ?", runId).get(0))
                        .containsEntry("outcome", "error").containsEntry("error_reason", "db_error"));
    }

    @Test
    void aRunWhoseLockConnectionDiesDoesNotCommitAndItsRowSaysSo() throws Exception {
        patch("/api/syncall");
        var before = mirror();
        ObjectNode renamed = Upstream.warehousesAnswer();
        Upstream.warehouses(renamed).forEach(w -> ((ObjectNode) w).put("name", "renamed"));
        Upstream.serveWarehouses(Upstream.json(renamed.toString()).withFixedDelay(1500));
        Upstream.SERVER.resetRequests();
        CompletableFuture<Answer> call = CompletableFuture.supplyAsync(() -> patch("/api/syncall"));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                !Upstream.SERVER.findAll(getRequestedFor(urlPathEqualTo(Upstream.WAREHOUSES))).isEmpty());

        // an administrator (or a network cut) ends the connection that holds the run lock (the
        // call returns once that session has ended) ...
        assertThat(count("SELECT count(pg_terminate_backend(pid, 10000)) FROM pg_locks WHERE locktype = 'advisory' "
                + "AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = 91738176450387")).isEqualTo(1);
        // ... and the repair, finding the lock free, closes the run as interrupted
        camel.createFluentProducerTemplate().to("direct:history-repair").request();

        JsonNode answer = call.get().json();
        assertThat(answer.get("response").asText()).isEqualTo("error");
        assertThat(answer.at("/data/reason").asText()).isEqualTo("db_error");
        assertThat(answer.at("/data/message").asText()).contains("lock");
        assertThat(mirror()).isEqualTo(before);
        assertThat(rows("SELECT outcome, error_reason FROM sync_runs WHERE id = ?", answer.get("run_id").asLong()).get(0))
                .containsEntry("outcome", "error").containsEntry("error_reason", "db_error");
    }

    @Test
    void shutdownLetsTheRunInProgressEndAndAStartClosesRunsAStoppedProcessLeftOpen() throws Exception {
        long stale = jdbc.queryForObject("INSERT INTO sync_runs (trigger, started_at, outcome) "
                + "VALUES ('schedule', now() - interval '1 hour', 'running') RETURNING id", Long.class);
        ConfigurableApplicationContext second = startReplica(DATABASE.jdbcUrl());
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "interrupted".equals(jdbc.queryForObject("SELECT error_reason FROM sync_runs WHERE id = ?", String.class, stale)));

        int secondPort = portOf(second);
        Upstream.serveWarehouses(Upstream.json(Upstream.warehousesAnswer().toString()).withFixedDelay(1500));
        CompletableFuture<Answer> call = CompletableFuture.supplyAsync(() -> sendTo(secondPort, "PATCH", "/api/syncall"));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                !Upstream.SERVER.findAll(getRequestedFor(urlPathEqualTo(Upstream.WAREHOUSES))).isEmpty());

        second.close(); // what SIGTERM does: graceful shutdown

        JsonNode answer = call.get().json();
        assertThat(answer.get("response").asText()).isEqualTo("ok");
        assertThat(count("SELECT count(*) FROM sync_runs WHERE outcome = 'running'")).isZero();
        assertThat(count("SELECT count(*) FROM users_warehouses WHERE user_id = 233")).isEqualTo(5);
    }
}
