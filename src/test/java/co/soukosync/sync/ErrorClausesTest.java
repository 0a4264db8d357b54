package co.soukosync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.soukosync.ContextsClosedAtTheEnd;
import co.soukosync.RouteTestApplication;
import co.soukosync.api.ApiError;
import co.soukosync.api.ApiException;
import co.soukosync.history.RunAnswer;
import co.soukosync.history.RunAnswer.ErrorData;
import co.soukosync.sync.SyncRun.Trigger;
import co.soukosync.upstream.CredentialsRefusedException;
import co.soukosync.upstream.TokenStore;
import com.fasterxml.jackson.core.JsonParseException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.MockEndpoints;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The clauses of error-handling.camel.yaml, on a route that starts work ("work", with the
 * clauses of sync-errors) and the step it calls ("step", without an error handler of its own),
 * test-routes/failing-step.camel.yaml: which failures are retried, how many times, with which
 * policy, and that every failure ends in sync-failed, which answers it (and tells the token store
 * of a failed grant); and "background-work", a timer's work with the clauses of "token-retry".
 * The step's upstream is the mock endpoint mock:upstream; no HTTP, no upstream.
 */
@CamelSpringBootTest
@SpringBootTest(classes = RouteTestApplication.class, properties = {
        "camel.main.routes-include-pattern=classpath:routes/error-handling.camel.yaml,classpath:test-routes/failing-step.camel.yaml",
        "soukosync.sync.max-retries=2",
        "soukosync.sync.retry-delay-ms=10",
        "soukosync.sync.retry-after-budget-seconds=3",
})
@Import(ErrorHandlingBeans.class)
@MockEndpoints("direct:sync-failed")
@ExtendWith(ContextsClosedAtTheEnd.class)
class ErrorClausesTest {

    @Autowired
    CamelContext camel;

    @Autowired
    ProducerTemplate template;

    @Autowired
    TokenStore tokenStore;

    @EndpointInject("mock:upstream")
    MockEndpoint upstream;

    @EndpointInject("mock:direct:sync-failed")
    MockEndpoint syncFailed;

    @BeforeEach
    void aTokenIsHeld() {
        tokenStore.reset();
        tokenStore.keep(Map.<String, Object>of("access_token", "granted-token", "expires_in", 3600));
    }

    @AfterEach
    void resetMocks() {
        MockEndpoint.resetMocks(camel);
    }

    /** A run at this stage of the pipeline (fetch_user, fetch_warehouses, store, auth). */
    static SyncRun runAt(String stage) {
        SyncRun run = new SyncRun(Trigger.call, false, false, Duration.ofMinutes(10), Duration.ofMinutes(1), true,
                Clock.systemUTC());
        run.calling(stage, "/iam/users/me");
        run.at(stage);
        return run;
    }

    private Exchange work(SyncRun run) {
        return template.request("direct:work", exchange -> {
            if (run != null) {
                exchange.setVariable("run", run);
            }
        });
    }

    private void upstreamFailsWith(Exception failure) {
        upstream.whenAnyExchangeReceived(exchange -> {
            throw failure;
        });
    }

    private static HttpOperationFailedException status(int code, Map<String, String> headers) {
        return new HttpOperationFailedException("http://upstream.invalid/api/v1/iam/users/me", code, "status " + code,
                null, headers, "");
    }

    private static HttpOperationFailedException status(int code) {
        return status(code, Map.of());
    }

    /** The redelivery header of each attempt: null for the first, then 1, 2, ... */
    private List<Object> redeliveries() {
        return upstream.getReceivedExchanges().stream()
                .map(e -> e.getMessage().getHeader(Exchange.REDELIVERY_COUNTER)).toList();
    }

    private Object maxRedeliveries(int attempt) {
        return upstream.getReceivedExchanges().get(attempt).getMessage().getHeader(Exchange.REDELIVERY_MAX_COUNTER);
    }

    /** The answer of a failed run, as sync-failed made it. */
    private ErrorData failure(Exchange done) {
        assertThat(syncFailed.getReceivedCounter()).as("exchanges that reached sync-failed").isEqualTo(1);
        RunAnswer answer = done.getMessage().getBody(RunAnswer.class);
        assertThat(answer.response()).isEqualTo("error");
        return (ErrorData) answer.data();
    }

    @Test
    void theRetryPoliciesAreTheApplicationsProperties() {
        RedeliveryPolicy upstreamRetry = camel.getRegistry().lookupByNameAndType("upstreamRetry", RedeliveryPolicy.class);
        assertThat(upstreamRetry.getMaximumRedeliveries()).isEqualTo(2);
        assertThat(upstreamRetry.getRedeliveryDelay()).isEqualTo(10);
        assertThat(upstreamRetry.isUseExponentialBackOff()).isTrue();
        assertThat(upstreamRetry.getBackOffMultiplier()).isEqualTo(2);
        RedeliveryPolicy tokenRenewal = camel.getRegistry().lookupByNameAndType("tokenRenewal", RedeliveryPolicy.class);
        assertThat(tokenRenewal.getMaximumRedeliveries()).isEqualTo(1);
        assertThat(tokenRenewal.getRedeliveryDelay()).isZero();
        RedeliveryPolicy historyRetry = camel.getRegistry().lookupByNameAndType("historyRetry", RedeliveryPolicy.class);
        assertThat(historyRetry.getMaximumRedeliveries()).as("until written").isEqualTo(-1);
        assertThat(historyRetry.getRedeliveryDelay()).isEqualTo(1000);
        assertThat(historyRetry.getMaximumRedeliveryDelay()).isEqualTo(30000);
    }

    @Test
    void aTransientStatusOfADataCallIsRetriedTwiceWithTheUpstreamPolicyThenFailsTheRun() {
        upstreamFailsWith(status(503));

        Exchange done = work(runAt("fetch_warehouses"));

        assertThat(redeliveries()).containsExactly(null, 1, 2);
        assertThat(maxRedeliveries(1)).isEqualTo(2);
        ErrorData error = failure(done);
        assertThat(error.reason()).isEqualTo("http_503");
        assertThat(error.stage()).isEqualTo("fetch_warehouses");
    }

    @Test
    void aStatusThatRecoversOnARetryCompletesTheWork() {
        upstream.whenExchangeReceived(1, exchange -> {
            throw status(502);
        });

        Exchange done = work(runAt("fetch_user"));

        assertThat(redeliveries()).containsExactly(null, 1);
        assertThat(done.getException()).isNull();
        assertThat(syncFailed.getReceivedCounter()).isZero();
    }

    @Test
    void networkFaultsOfADataCallAreRetriedWithTheUpstreamPolicy() {
        for (Exception fault : List.of(new SocketTimeoutException("Read timed out"), new ConnectTimeoutException("connect timed out"),
                new NoHttpResponseException("upstream failed to respond"), new java.net.SocketException("Connection reset"))) {
            MockEndpoint.resetMocks(camel);
            upstreamFailsWith(fault);

            Exchange done = work(runAt("fetch_user"));

            assertThat(redeliveries()).as(fault.toString()).containsExactly(null, 1, 2);
            assertThat(maxRedeliveries(2)).isEqualTo(2);
            assertThat(failure(done).stage()).isEqualTo("fetch_user");
        }
    }

    @Test
    void aRefusedConnectionIsNotRetried() {
        upstreamFailsWith(new ConnectException("Connection refused"));

        Exchange done = work(runAt("fetch_user"));

        assertThat(upstream.getReceivedCounter()).isEqualTo(1);
        assertThat(failure(done).reason()).isEqualTo("econnrefused");
    }

    @Test
    void neitherTheStoreNorATokenRequestIsRetried() {
        upstreamFailsWith(new SocketTimeoutException("Read timed out"));
        work(runAt("store"));
        assertThat(upstream.getReceivedCounter()).as("store").isEqualTo(1);

        MockEndpoint.resetMocks(camel);
        upstreamFailsWith(status(503));
        Exchange done = work(runAt("auth"));
        assertThat(upstream.getReceivedCounter()).as("token request").isEqualTo(1);
        assertThat(failure(done).stage()).isEqualTo("auth");
    }

    @Test
    void otherClientErrorsAreNotRetried() {
        for (int code : new int[] {400, 403, 404, 422}) {
            MockEndpoint.resetMocks(camel);
            upstreamFailsWith(status(code));

            Exchange done = work(runAt("fetch_user"));

            assertThat(upstream.getReceivedCounter()).as("HTTP %s", code).isEqualTo(1);
            assertThat(failure(done).reason()).isEqualTo(code == 403 ? "unauthorized" : "http_" + code);
        }
    }

    @Test
    void a401OnADataCallDropsTheGrantTokenAndRetriesOnceAtOnce() {
        upstreamFailsWith(status(401));

        Exchange done = work(runAt("fetch_user"));

        assertThat(redeliveries()).containsExactly(null, 1);
        assertThat(maxRedeliveries(1)).as("the tokenRenewal policy").isEqualTo(1);
        assertThat(tokenStore.needsGrant()).as("the revoked token was dropped before the retry").isTrue();
        assertThat(failure(done).reason()).isEqualTo("unauthorized");
    }

    @Test
    void a401OnATokenRequestIsNotRetried() {
        upstreamFailsWith(status(401));

        Exchange done = work(runAt("auth"));

        assertThat(upstream.getReceivedCounter()).isEqualTo(1);
        assertThat(failure(done).reason()).isEqualTo("unauthorized");
    }

    @Test
    void a429IsRetriedAfterItsRetryAfterWhileThatFitsTheBudget() {
        upstream.whenExchangeReceived(1, exchange -> {
            throw status(429, Map.of("Retry-After", "1"));
        });

        long start = System.nanoTime();
        Exchange done = work(runAt("fetch_user"));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(redeliveries()).containsExactly(null, 1);
        assertThat(done.getException()).isNull();
        assertThat(syncFailed.getReceivedCounter()).isZero();
    }

    @Test
    void a429WhoseRetryAfterExceedsTheBudgetFailsTheRunAtOnce() {
        upstreamFailsWith(status(429, Map.of("Retry-After", "3600")));

        long start = System.nanoTime();
        Exchange done = work(runAt("fetch_user"));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(upstream.getReceivedCounter()).isEqualTo(1);
        assertThat(failure(done).reason()).isEqualTo("http_429");
    }

    @Test
    void aRunsGrantThatIsRefusedPausesTheGrantsAndOneLostOnTheNetworkIsRetriedInTheBackground() {
        upstreamFailsWith(status(401));

        assertThat(failure(work(runAt("auth"))).reason()).isEqualTo("unauthorized");

        assertThatThrownBy(tokenStore::needsGrant).as("no grant before the pause is over")
                .isInstanceOf(CredentialsRefusedException.class);
        assertThat(tokenStore.isRetryPending()).isFalse();

        MockEndpoint.resetMocks(camel);
        tokenStore.reset();
        upstreamFailsWith(new SocketException("Connection reset"));

        assertThat(failure(work(runAt("auth"))).reason()).isEqualTo("closed");

        assertThat(tokenStore.isRetryPending()).isTrue();
    }

    @Test
    void aFailureOfADataCallLeavesTheGrantsAlone() {
        upstreamFailsWith(status(403));

        assertThat(failure(work(runAt("fetch_user"))).reason()).isEqualTo("unauthorized");

        assertThat(tokenStore.needsGrant()).isFalse();
        assertThat(tokenStore.isRetryPending()).isFalse();
    }

    @Test
    void aBackgroundGrantThatIsRefusedStopsTheRetriesAndOneLostOnTheNetworkKeepsThem() {
        tokenStore.reset();
        tokenStore.retryLater();
        upstreamFailsWith(status(401));

        Exchange done = template.request("direct:background-work", exchange -> { });

        assertThat(done.getException()).as("handled: the next fire tries again").isNull();
        assertThat(tokenStore.isRetryPending()).isFalse();
        assertThatThrownBy(tokenStore::needsGrant).isInstanceOf(CredentialsRefusedException.class);

        MockEndpoint.resetMocks(camel);
        tokenStore.reset();
        tokenStore.retryLater();
        upstreamFailsWith(new SocketTimeoutException("Read timed out"));

        assertThat(template.request("direct:background-work", exchange -> { }).getException()).isNull();

        assertThat(tokenStore.isRetryPending()).isTrue();
        assertThat(upstream.getReceivedCounter()).as("not retried at once").isEqualTo(1);
        assertThat(syncFailed.getReceivedCounter()).as("no run failed").isZero();
    }

    @Test
    void badInputToOurApiIsAnswered4xxWithoutARun() {
        upstreamFailsWith(new ApiException(400, "bad_request", "count must be a whole number from 1 to 100, not \"x\""));

        Exchange done = template.request("direct:work", exchange -> exchange.getMessage().setHeader("Authorization", "Bearer some-key"));

        assertThat(done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(400);
        // the request's headers do not go back with the answer
        assertThat(done.getMessage().getHeaders()).doesNotContainKey("Authorization");
        ApiError error = done.getMessage().getBody(ApiError.class);
        assertThat(error.data().reason()).isEqualTo("bad_request");
        assertThat(error.data().message()).startsWith("count must be");
        assertThat(syncFailed.getReceivedCounter()).isZero();
    }

    /** A request body that is not JSON is the contract's to refuse (api/ApiContract), before any route; during a run, it is an upstream's answer. */
    @Test
    void anAnswerThatIsNotJsonDuringARunIsTheUpstreamsMistakeAndIsNotRetried() throws Exception {
        upstreamFailsWith(new JsonParseException(null, "Unexpected end-of-input"));

        Exchange run = work(runAt("fetch_warehouses"));

        assertThat(upstream.getReceivedCounter()).as("a bad answer is not retried").isEqualTo(1);
        assertThat(failure(run).reason()).isEqualTo("bad_response");
    }
}
