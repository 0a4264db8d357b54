package co.soukosync.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import co.soukosync.ExternalPostgres;
import co.soukosync.RouteTestSupport;
import co.soukosync.history.RunAnswer.ErrorData;
import co.soukosync.sync.SyncError;
import co.soukosync.sync.SyncRun;
import co.soukosync.sync.SyncRuns;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * history.camel.yaml, its SQL on the real PostgreSQL: a run's row opened (its id into the run), a
 * failed run's row closed and answered, or, when the database refuses that write, answered from
 * memory and written later by history-retry; the repair that closes rows a stopped process left
 * open only while no run holds the run lock; the retention of change logs.
 */
class HistoryRoutesTest extends RouteTestSupport {

    @AfterEach
    void theDatabaseTakesWritesAgain() {
        jdbc.execute("DROP TRIGGER IF EXISTS refuse_failures ON sync_runs");
    }

    private SyncRun openRun() {
        SyncRun run = SyncRuns.calling("fetch_warehouses", "/iam/users/233/warehouses", Duration.ofMinutes(1));
        template.send("direct:run-open", exchange -> exchange.setVariable("run", run));
        return run;
    }

    private Exchange recordFailure(SyncRun run) {
        run.setError(new SyncError("http_503", "fetch_warehouses", "the upstream answered 503"));
        return template.send("direct:run-record-failure", exchange -> exchange.setVariable("run", run));
    }

    @Test
    void aRunsRowIsOpenedAndItsIdKeptInTheRun() {
        SyncRun run = openRun();

        assertThat(run.getId()).isEqualTo(jdbc.queryForObject("SELECT id FROM sync_runs", Long.class));
        assertThat(jdbc.queryForMap("SELECT trigger, outcome FROM sync_runs"))
                .containsEntry("trigger", "call").containsEntry("outcome", "running");
    }

    @Test
    void aFailedRunsRowIsClosedAndTheAnswerIsThatRow() {
        SyncRun run = openRun();

        Exchange done = recordFailure(run);

        assertThat(steps()).containsSubsequence("sql://classpath:sql/run-finish-error.sql", "direct://run-answer")
                .doesNotContain("seda://history-retry");
        RunAnswer answer = done.getMessage().getBody(RunAnswer.class);
        assertThat(answer.runId()).isEqualTo(run.getId());
        assertThat(((ErrorData) answer.data()).reason()).isEqualTo("http_503");
        assertThat(jdbc.queryForMap("SELECT outcome, error_reason, error_stage FROM sync_runs WHERE id = ?", run.getId()))
                .containsEntry("outcome", "error").containsEntry("error_reason", "http_503")
                .containsEntry("error_stage", "fetch_warehouses");
    }

    @Test
    void aFailureTheDatabaseRefusesIsAnsweredFromMemoryAndWrittenOnceItIsTaken() {
        SyncRun run = openRun();
        // the database refuses to close the row, as it does while it is away
        jdbc.execute("CREATE OR REPLACE FUNCTION refuse_failures() RETURNS trigger LANGUAGE plpgsql AS $$ "
                + "BEGIN RAISE EXCEPTION 'not now'; END $$");
        jdbc.execute("CREATE TRIGGER refuse_failures BEFORE UPDATE ON sync_runs FOR EACH ROW EXECUTE FUNCTION refuse_failures()");

        Exchange done = recordFailure(run);

        assertThat(done.getException()).isNull();
        assertThat(steps()).contains("seda://history-retry").doesNotContain("direct://run-answer");
        RunAnswer answer = done.getMessage().getBody(RunAnswer.class);
        assertThat(answer.response()).isEqualTo("error");
        assertThat(answer.runId()).isEqualTo(run.getId());
        assertThat(((ErrorData) answer.data()).reason()).isEqualTo("http_503");
        assertThat(jdbc.queryForObject("SELECT outcome FROM sync_runs WHERE id = ?", String.class, run.getId())).isEqualTo("running");

        jdbc.execute("DROP TRIGGER refuse_failures ON sync_runs");

        await().atMost(Duration.ofSeconds(10)).until(() ->
                "error".equals(jdbc.queryForObject("SELECT outcome FROM sync_runs WHERE id = ?", String.class, run.getId())));
        assertThat(jdbc.queryForObject("SELECT error_reason FROM sync_runs WHERE id = ?", String.class, run.getId()))
                .isEqualTo("http_503");
    }

    @Test
    void theRepairClosesRowsLeftOpenOnlyWhileNoRunHoldsTheLock() throws Exception {
        long left = jdbc.queryForObject("INSERT INTO sync_runs (trigger, started_at, outcome) "
                + "VALUES ('schedule', now() - interval '1 hour', 'running') RETURNING id", Long.class);
        try (Connection otherReplica = ExternalPostgres.shared().dataSource().getConnection();
                Statement statement = otherReplica.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");

            template.sendBody("direct:history-repair-fires", null);

            assertThat(jdbc.queryForObject("SELECT outcome FROM sync_runs WHERE id = ?", String.class, left))
                    .as("a run in progress elsewhere").isEqualTo("running");
            // the other replica's run ends: its lock given back now (a closed connection gives it
            // back only once its server process has exited, which may come after the next step)
            statement.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
        }

        template.sendBody("direct:history-repair-fires", null);

        assertThat(jdbc.queryForMap("SELECT outcome, error_reason FROM sync_runs WHERE id = ?", left))
                .containsEntry("outcome", "error").containsEntry("error_reason", "interrupted");
    }

    @Test
    void theRetentionDeletesOnlyChangeLogsOlderThanTheirDaysAndKeepsTheRuns() {
        long old = jdbc.queryForObject("INSERT INTO sync_runs (trigger, started_at, finished_at, outcome) "
                + "VALUES ('call', now() - interval '91 days', now() - interval '91 days', 'ok') RETURNING id", Long.class);
        long recent = jdbc.queryForObject("INSERT INTO sync_runs (trigger, started_at, finished_at, outcome) "
                + "VALUES ('call', now() - interval '89 days', now() - interval '89 days', 'ok') RETURNING id", Long.class);
        long oldLastSeq = 0;
        for (long run : new long[] {old, recent}) {
            long last = jdbc.queryForObject("UPDATE sync_feed SET last_seq = last_seq + 2 RETURNING last_seq", Long.class);
            jdbc.update("INSERT INTO sync_change_sets (run_id, entity, change, ids, first_seq) "
                    + "VALUES (?, 'warehouses', 'inserted', '{1}', ?)", run, last - 1);
            jdbc.update("INSERT INTO sync_updates (run_id, entity, id, fields, seq) VALUES (?, 'warehouses', 1, '{}', ?)", run, last);
            oldLastSeq = run == old ? last : oldLastSeq;
        }

        template.sendBody("direct:changes-retention-fires", null);

        assertThat(jdbc.queryForList("SELECT DISTINCT run_id FROM sync_change_sets", Long.class)).containsExactly(recent);
        assertThat(jdbc.queryForList("SELECT DISTINCT run_id FROM sync_updates", Long.class)).containsExactly(recent);
        assertThat(count("SELECT count(*) FROM sync_runs")).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT purged_through FROM sync_feed", Long.class))
                .as("the feed's oldest kept change moves past what was deleted").isEqualTo(oldLastSeq);
    }
}
