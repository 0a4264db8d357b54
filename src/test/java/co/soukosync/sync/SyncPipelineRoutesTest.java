package co.soukosync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import co.soukosync.RouteTestSupport;
import co.soukosync.Upstream;
import co.soukosync.history.RunAnswer;
import co.soukosync.history.RunAnswer.ErrorData;
import co.soukosync.sync.SyncGate.RunRequest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * sync-pipeline.camel.yaml: the steps of a run in their order, what a failure at each step leads
 * to (nothing written, the run's row closed as failed, the failure answered), a dry run, and the
 * run's state kept in the run (its id from run-start.sql) and never in headers. The upstream is
 * mock:upstream (RouteTestSupport); the store runs its SQL on the real PostgreSQL.
 */
class SyncPipelineRoutesTest extends RouteTestSupport {

    @Autowired
    SyncGate gate;

    /** A run through the gate, as api-syncall starts one; the gate is given back when the exchange is done. */
    private Exchange run(boolean dryRun) throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setVariable("run", gate.enterWithin(exchange, new RunRequest(dryRun, false)));
        exchange.getMessage().setHeader("X-Request-Header", "from the caller");
        return template.send("direct:sync-run", exchange);
    }

    private static RunAnswer answer(Exchange done) {
        return done.getMessage().getBody(RunAnswer.class);
    }

    /** The alert's step, which the run's wireTap sends on a thread of its own, perhaps after the run answered. */
    private static void awaitTheAlertTap() {
        await().atMost(Duration.ofSeconds(10)).until(() -> steps().contains("direct://alert-after-run"));
    }

    /**
     * The run's steps, without the token's and without an alert's delivery: the alerts a run
     * raises (a failure, a recovery after an earlier test's failure) go out on a thread of their
     * own, interleaved with the run's steps at any point (AlertRoutesTest tests them).
     */
    private List<String> pipelineSteps() {
        return steps().stream().filter(step -> step.startsWith("direct://") || step.startsWith("sql://")
                || step.startsWith("mock://")).filter(step -> !step.startsWith("direct://upstream-token"))
                .filter(step -> !step.equals("direct://alert-send") && !step.equals("mock://webhook")).toList();
    }

    @Test
    void aRunOpensItsRowFetchesTheUserThenItsWarehousesStoresInOrderAndAnswersItsRow() throws Exception {
        serveUpstream();

        Exchange done = run(false);
        awaitTheAlertTap();

        assertThat(done.getException()).isNull();
        assertThat(pipelineSteps()).containsExactly(
                "direct://sync-run",
                "direct://run-open", "sql://classpath:sql/run-start.sql",
                "direct://fetch-user", "direct://upstream-get", "mock://upstream",
                "direct://fetch-warehouses", "direct://upstream-get", "mock://upstream",
                "direct://sync-store", "sql://classpath:sql/store-lock.sql", "sql://classpath:sql/upsert-user.sql",
                "sql://classpath:sql/merge-warehouses.sql", "sql://classpath:sql/unlink-warehouses.sql",
                "sql://classpath:sql/unlink-reference.sql", "sql://classpath:sql/verify-receipt.sql",
                "sql://classpath:sql/run-lock-check.sql", "sql://classpath:sql/run-finish-ok.sql",
                "direct://run-close-dry",
                "direct://run-answer", "sql://classpath:sql/run-by-id.sql",
                "direct://alert-after-run");
        assertThat(upstreamPaths).containsExactly("/iam/users/me", "/iam/users/233/warehouses");
        RunAnswer answer = answer(done);
        assertThat(answer.response()).isEqualTo("ok");
        assertThat(answer.data()).isEqualTo("6 upserted");
        // the run's id is the row that run-start.sql opened, and the answer is that row
        long rowId = jdbc.queryForObject("SELECT id FROM sync_runs", Long.class);
        assertThat(done.getVariable("run", SyncRun.class).getId()).isEqualTo(rowId);
        assertThat(answer.runId()).isEqualTo(rowId);
        assertThat(count("SELECT count(*) FROM sync_runs WHERE outcome = 'ok' AND warehouses_inserted = 5")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM users_warehouses WHERE user_id = 233")).isEqualTo(5);
        // nothing of the run travels in headers, and none of the upstream's answers' headers comes back
        assertThat(done.getMessage().getHeaders()).isEmpty();
    }

    @Test
    void aFailedUserCallEndsTheRunBeforeTheWarehousesAndTheStoreAndRecordsItsRow() throws Exception {
        serveUpstream();
        upstream.whenAnyExchangeReceived(exchange -> {
            throw new HttpOperationFailedException("http://upstream.invalid/api/v1/iam/users/me", 404, "Not Found", null, null, "");
        });

        Exchange done = run(false);

        List<String> steps = pipelineSteps();
        assertThat(steps).contains("direct://fetch-user", "direct://sync-failed", "direct://run-record-failure")
                .doesNotContain("direct://fetch-warehouses", "direct://sync-store", "direct://run-close-dry");
        assertThat(upstream.getReceivedCounter()).as("a 404 is not retried").isEqualTo(1);
        ErrorData error = (ErrorData) answer(done).data();
        assertThat(error.reason()).isEqualTo("http_404");
        assertThat(error.stage()).isEqualTo("fetch_user");
        assertThat(jdbc.queryForMap("SELECT outcome, error_reason, error_stage FROM sync_runs"))
                .containsEntry("outcome", "error").containsEntry("error_reason", "http_404").containsEntry("error_stage", "fetch_user");
        assertThat(count("SELECT count(*) FROM users")).isZero();
    }

    @Test
    void aFailureInTheStoreRollsBackTheUserItHadWrittenAndIsAnsweredOnce() throws Exception {
        ObjectNode answer = Upstream.warehousesAnswer();
        ((ObjectNode) Upstream.warehouses(answer).get(2)).remove("line1");
        serveUpstream(answer.toString());

        Exchange done = run(false);
        awaitTheAlertTap();

        // the failure's row is written by run-record-failure, which answers it; the run's own end is not reached
        assertThat(pipelineSteps()).containsSubsequence("sql://classpath:sql/upsert-user.sql", "direct://sync-failed",
                        "direct://run-record-failure", "sql://classpath:sql/run-finish-error.sql", "direct://run-answer",
                        "direct://alert-after-run")
                .doesNotContain("sql://classpath:sql/merge-warehouses.sql", "sql://classpath:sql/run-finish-ok.sql",
                        "direct://run-close-dry");
        assertThat(steps().stream().filter("direct://sync-failed"::equals)).as("answered once, by the doTry around the store").hasSize(1);
        ErrorData error = (ErrorData) answer(done).data();
        assertThat(error.reason()).isEqualTo("bad_response");
        assertThat(error.message()).isEqualTo("warehouse #3 (id 242) lacks line1");
        // the user was upserted before the bad warehouse was read: the transaction took it away too
        assertThat(count("SELECT count(*) FROM users")).isZero();
        assertThat(count("SELECT count(*) FROM warehouses")).isZero();
        assertThat(count("SELECT count(*) FROM sync_runs WHERE outcome = 'error'")).isEqualTo(1);
    }

    @Test
    void aDryRunReadsItsChangesRollsBackAndClosesItsRowOutsideTheStore() throws Exception {
        serveUpstream();

        Exchange done = run(true);

        assertThat(pipelineSteps()).containsSubsequence("sql://classpath:sql/run-lock-check.sql",
                "sql://classpath:sql/run-changes.sql", "direct://run-close-dry", "sql://classpath:sql/run-finish-ok.sql",
                "direct://run-answer");
        RunAnswer answer = answer(done);
        assertThat(answer.response()).isEqualTo("ok");
        assertThat(answer.dryRun()).isTrue();
        assertThat(answer.changes().data()).isNotNull();
        assertThat(count("SELECT count(*) FROM users")).isZero();
        assertThat(count("SELECT count(*) FROM warehouses")).isZero();
        assertThat(jdbc.queryForMap("SELECT outcome, dry_run, warehouses_inserted FROM sync_runs"))
                .containsEntry("outcome", "ok").containsEntry("dry_run", true).containsEntry("warehouses_inserted", 5);
    }

    @Test
    void runsOneAfterAnotherFindTheGateFree() throws Exception {
        serveUpstream();

        assertThat(answer(run(false)).response()).isEqualTo("ok");
        assertThat(answer(run(false)).response()).as("the first run gave the gate back when it was done").isEqualTo("ok");
        assertThat(count("SELECT count(*) FROM sync_runs WHERE outcome = 'ok'")).isEqualTo(2);
    }
}
