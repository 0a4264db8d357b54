package co.soukosync.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import co.soukosync.RouteTestSupport;
import co.soukosync.history.RunAnswer;
import co.soukosync.history.RunAnswer.ErrorData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.StreamCache;
import org.apache.camel.component.seda.SedaEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * alerts.camel.yaml: a finished run goes to the alert queue (wire-tapped there by sync-run and
 * sync-failed), the queue's one consumer decides on the shared alert state (one alert per
 * incident, one when it ends) and alert-send POSTs it to the webhook (mock:webhook) with the
 * webhook's headers only; a webhook that fails is tried three times in all and never fails
 * anything; the stale check. The alert state is the real table on PostgreSQL.
 */
class AlertRoutesTest extends RouteTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void theQueueIsEmpty() {
        // what an earlier test left in the queue is decided before this test's state is set
        SedaEndpoint queue = camel.getEndpoint("seda:alerts", SedaEndpoint.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> queue.getCurrentQueueSize() == 0
                && camel.getInflightRepository().size("alerts") == 0);
        webhook.reset();
        // a success just now: no test starts with a stale mirror
        jdbc.update("INSERT INTO sync_runs (trigger, started_at, finished_at, outcome) VALUES ('call', now(), now(), 'ok')");
        jdbc.update("UPDATE alert_state SET incident = NULL, reason = NULL, consecutive_failures = 0");
    }

    private static RunAnswer failed(long runId, String reason) {
        return new RunAnswer("error", "2026-12-07T10:00:00.000Z", new ErrorData(reason, "fetch_warehouses", "the upstream answered " + reason),
                runId, "call", false, false, "2026-12-07T10:00:00.000Z", 10L, 233L, null, null, null, null);
    }

    private static RunAnswer ok(long runId) {
        return new RunAnswer("ok", "2026-12-07T10:00:00.000Z", "6 upserted", runId, "call", false, false,
                "2026-12-07T10:00:00.000Z", 10L, 233L, null, null, null, null);
    }

    /** A run's answer after the run, as sync-run and sync-failed wire-tap it (with a caller's header). */
    private void afterRun(RunAnswer answer) {
        template.send("direct:alert-after-run", exchange -> {
            exchange.getMessage().setBody(answer);
            exchange.getMessage().setHeader("Authorization", "Bearer the-api-key-of-a-call");
        });
    }

    /**
     * Waits for the webhook's n-th request. The queue has one consumer that takes the events in
     * order: once an event is posted, every event before it was decided, posted or not.
     */
    private void awaitPosts(int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> webhook.getReceivedCounter() >= n);
    }

    /** The POST's body as text (marshalled as a stream: read once, then kept as text). */
    private static String body(Exchange post) {
        if (post.getMessage().getBody() instanceof StreamCache cache) {
            cache.reset(); // the tries share one cached body
        }
        String text = post.getMessage().getBody(String.class);
        post.getMessage().setBody(text);
        return text;
    }

    private List<String> events() {
        return webhook.getReceivedExchanges().stream().map(exchange -> {
            try {
                return JSON.readTree(body(exchange)).get("event").asText();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    @Test
    void theFirstFailureIsPostedWithTheWebhooksHeadersOnlyAndTheNextOfTheSameIncidentIsNot() throws Exception {
        afterRun(failed(1, "http_503"));

        awaitPosts(1);
        assertThat(events()).containsExactly("sync_failed");
        Exchange post = webhook.getReceivedExchanges().get(0);
        Map<String, Object> headers = post.getMessage().getHeaders();
        assertThat(headers).containsEntry(Exchange.HTTP_METHOD, "POST").containsEntry(Exchange.HTTP_URI, WEBHOOK)
                .containsEntry("Content-Type", "application/json").containsEntry("X-Team", "ops")
                .doesNotContainKey("Authorization");
        JsonNode alert = JSON.readTree(body(post));
        assertThat(alert.get("run_id").asLong()).isEqualTo(1);
        assertThat(alert.get("reason").asText()).isEqualTo("http_503");
        assertThat(alert.get("consecutive_failures").asInt()).isEqualTo(1);

        afterRun(failed(2, "http_503"));
        afterRun(failed(3, "http_500"));
        afterRun(ok(4));

        awaitPosts(3);
        // run 2 was the same incident: nothing; run 3 changed its reason; run 4 ended it
        assertThat(events()).containsExactly("sync_failed", "sync_failed", "sync_recovered");
        assertThat(webhook.getReceivedExchanges()).extracting(each -> JSON.readTree(body(each)).get("run_id").asLong())
                .containsExactly(1L, 3L, 4L);
    }

    @Test
    void aDryRunOrASuccessWithoutAnIncidentPostsNothing() {
        RunAnswer dry = new RunAnswer("error", "2026-12-07T10:00:00.000Z", new ErrorData("http_503", "fetch_user", "503"),
                5L, "call", true, false, "2026-12-07T10:00:00.000Z", 10L, 233L, null, null, null, null);
        afterRun(dry);
        afterRun(ok(6));
        afterRun(failed(9, "http_503"));

        awaitPosts(1);
        assertThat(events()).as("only the failure after them").containsExactly("sync_failed");
    }

    @Test
    void aWebhookThatFailsIsTriedThreeTimesInAllAndTheNextAlertStillGoesOut() {
        webhook.whenExchangeReceived(1, exchange -> {
            throw new IOException("Connection refused");
        });
        webhook.whenExchangeReceived(2, exchange -> {
            throw new IOException("Connection refused");
        });
        webhook.whenExchangeReceived(3, exchange -> {
            throw new IOException("Connection refused");
        });

        afterRun(failed(7, "http_503"));
        afterRun(ok(8));

        awaitPosts(4);
        // the first try and the two retries of alertRetry, then the next event
        assertThat(events()).containsExactly("sync_failed", "sync_failed", "sync_failed", "sync_recovered");
    }

    @Test
    void aMirrorWithoutASuccessForTooLongIsPostedOnceByTheStaleCheck() {
        jdbc.execute("TRUNCATE sync_runs RESTART IDENTITY CASCADE");
        jdbc.update("INSERT INTO sync_runs (trigger, started_at, finished_at, outcome) "
                + "VALUES ('call', now() - interval '1 hour', now() - interval '1 hour', 'ok')");

        template.sendBody("direct:stale-check-fires", null);
        template.sendBody("direct:stale-check-fires", null);
        afterRun(failed(10, "http_503"));

        awaitPosts(2);
        assertThat(events()).as("one stale alert for the two checks").containsExactly("sync_stale", "sync_failed");
    }
}
