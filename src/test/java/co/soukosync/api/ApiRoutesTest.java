package co.soukosync.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import co.soukosync.RouteTestSupport;
import co.soukosync.history.RunAnswer;
import co.soukosync.sync.SyncGate;
import co.soukosync.sync.SyncGate.RunRequest;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.UnitOfWorkHelper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The routes of sync-api.camel.yaml behind the contract: each operation's direct route, called with
 * the request's parameters in the variable "params" as the contract's route leaves them
 * (api/ApiContract; ApiContractTest tests that part) and with the request's headers. What a route
 * decides: which run it starts and how it answers, that a cast answers at once and joins one
 * pending, that the database is asked before a cast is taken, that an unknown id is a 404 before
 * any further query, and that no request header goes back with an answer. The pipeline's upstream
 * is mock:upstream (RouteTestSupport).
 */
class ApiRoutesTest extends RouteTestSupport {

    @Autowired
    SyncGate gate;

    /** A request to an operation, with its parameters and the headers a client sends. */
    private Exchange call(String operation, Map<String, Object> params) {
        return template.send("direct:" + operation, exchange -> {
            exchange.setVariable(ApiContract.PARAMS, params);
            exchange.getMessage().setHeader("Authorization", "Bearer the-api-key");
            exchange.getMessage().setHeader("Cookie", "session=1");
            exchange.getMessage().setHeader(Exchange.HTTP_URI, "/api/" + operation);
        });
    }

    @Test
    void syncallRunsACallsRunAndAnswersItWithoutTheRequestsHeaders() {
        serveUpstream();

        Exchange done = call("syncNow", Map.of("dry_run", false, "force", false));

        RunAnswer answer = done.getMessage().getBody(RunAnswer.class);
        assertThat(answer.response()).isEqualTo("ok");
        assertThat(answer.trigger()).isEqualTo("call");
        assertThat(answer.isDryRun()).isFalse();
        assertThat(steps()).containsSubsequence("direct://syncNow", "direct://sync-run");
        assertThat(done.getMessage().getHeaders()).isEmpty();
        assertThat(count("SELECT count(*) FROM sync_runs WHERE trigger = 'call' AND outcome = 'ok'")).isEqualTo(1);
    }

    @Test
    void aDryRunParameterMakesADryRun() {
        serveUpstream();

        RunAnswer answer = call("syncNow", Map.of("dry_run", true, "force", false)).getMessage().getBody(RunAnswer.class);

        assertThat(answer.dryRun()).isTrue();
        assertThat(count("SELECT count(*) FROM warehouses")).isZero();
    }

    @Test
    void aCastAsksTheDatabaseAnswersAtOnceAndCastsWhileOneIsPendingJoinIt() throws Exception {
        serveUpstream();
        // a call's run holds the gate: the casts wait behind it
        Exchange call = new DefaultExchange(camel);
        assertThat(gate.enterWithin(call, new RunRequest(false, false))).isNotNull();
        Exchange first;
        Exchange second;
        try {
            first = call("queueSync", Map.of());
            second = call("queueSync", Map.of());
        } finally {
            UnitOfWorkHelper.doneSynchronizations(call, call.getExchangeExtension().handoverCompletions());
        }

        for (Exchange cast : new Exchange[] {first, second}) {
            assertThat(cast.getMessage().getBody(ApiRequests.Casted.class).data()).isEqualTo("sync casted");
            assertThat(cast.getMessage().getHeaders()).isEmpty();
        }
        assertThat(steps()).containsSubsequence("direct://queueSync", "sql://classpath:sql/database-answers.sql",
                "seda://sync-cast");
        assertThat(steps().stream().filter("seda://sync-cast"::equals)).as("the second cast joined the first").hasSize(1);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                count("SELECT count(*) FROM sync_runs WHERE trigger = 'cast' AND outcome = 'ok'") == 1);
        assertThat(count("SELECT count(*) FROM sync_runs")).isEqualTo(1);
    }

    @Test
    void anUnknownUserIs404BeforeItsHistoryOrItsWarehousesAreRead() {
        for (String operation : new String[] {"getUser", "getUserHistory", "listUserWarehouses"}) {
            Exchange done = call(operation, Map.of("id", 42L, "limit", 100));

            assertThat(done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).as(operation).isEqualTo(404);
            ApiError error = done.getMessage().getBody(ApiError.class);
            assertThat(error.data().reason()).isEqualTo("not_found");
            assertThat(error.data().message()).isEqualTo("no user with id 42");
            assertThat(done.getMessage().getHeaders()).as(operation).containsOnlyKeys(Exchange.HTTP_RESPONSE_CODE);
        }
        assertThat(steps()).doesNotContain("sql://classpath:sql/row-history.sql", "sql://classpath:sql/user-warehouses-page.sql");
    }

    @Test
    void anUnknownWarehouseOrRunIs404NamingWhatWasAskedFor() {
        Exchange warehouse = call("getWarehouseHistory", Map.of("id", 7L, "limit", 100));
        Exchange changes = call("listRunChanges", Map.of("id", 9L, "limit", 100));

        assertThat(warehouse.getMessage().getBody(ApiError.class).data().message()).isEqualTo("no warehouse with id 7");
        assertThat(changes.getMessage().getBody(ApiError.class).data().message()).isEqualTo("no run with id 9");
        assertThat(changes.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(404);
        assertThat(steps()).doesNotContain("sql://classpath:sql/row-history.sql", "sql://classpath:sql/run-changes.sql");
    }

    @Test
    void synlastAnswersTheNewestFinishedRunsOldestFirst() {
        for (String outcome : new String[] {"ok", "error", "ok", "running"}) {
            jdbc.update("INSERT INTO sync_runs (trigger, started_at, finished_at, outcome) VALUES ('call', now(), "
                    + ("running".equals(outcome) ? "NULL" : "now()") + ", ?)", outcome);
        }

        Exchange done = call("listLatestRuns", Map.of("count", 2));

        @SuppressWarnings("unchecked")
        Map<String, Object> body = done.getMessage().getBody(Map.class);
        assertThat((Iterable<?>) body.get("data")).extracting(run -> ((RunAnswer) run).runId()).containsExactly(2L, 3L);
        assertThat(done.getMessage().getHeaders()).isEmpty();
    }
}
