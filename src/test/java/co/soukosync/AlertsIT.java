package co.soukosync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.component.seda.SedaEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** ALERT_WEBHOOK_URL: one alert per incident, to a receiver that may fail or hang. */
// the receiver's URL and headers, its retries and the stale check come with ShortTimeoutsSupport
@ExtendWith(OutputCaptureExtension.class)
class AlertsIT extends ShortTimeoutsSupport {

    @Autowired
    CamelContext camel;

    @BeforeEach
    void freshMirrorAndAReceiverThatAnswers() {
        // what an earlier test left in the alert queue is decided on that test's state: let it go first
        Upstream.RECEIVER.resetAll();
        Upstream.RECEIVER.stubFor(post(urlPathEqualTo(HOOK)).willReturn(aResponse().withStatus(204)));
        SedaEndpoint queue = camel.getEndpoint("seda:alerts", SedaEndpoint.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> queue.getCurrentQueueSize() == 0
                && camel.getInflightRepository().size("alerts") == 0);
        // a success just now: no test starts with a stale mirror
        jdbc.update("INSERT INTO sync_runs (trigger, started_at, finished_at, outcome) VALUES ('call', now(), now(), 'ok')");
        jdbc.update("UPDATE alert_state SET incident = NULL, reason = NULL, consecutive_failures = 0");
        Upstream.RECEIVER.resetAll();
        Upstream.RECEIVER.stubFor(post(urlPathEqualTo(HOOK)).willReturn(aResponse().withStatus(204)));
    }

    private static List<JsonNode> alerts(String event) {
        return Upstream.RECEIVER.findAll(postRequestedFor(urlPathEqualTo(HOOK))).stream()
                .map(request -> {
                    try {
                        return JSON.readTree(request.getBodyAsString());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .filter(alert -> event.equals(alert.get("event").asText())).toList();
    }

    @Test
    void anIncidentIsAnnouncedOnceThenAgainWhenItsReasonChangesAndItsEndOnce() {
        Upstream.serveWarehouses(aResponse().withStatus(404));
        long firstFailure = patch("/api/syncall").json().get("run_id").asLong();
        patch("/api/syncall");
        patch("/api/syncall");
        Upstream.serveWarehouses(aResponse().withStatus(500));
        patch("/api/syncall");
        patch("/api/syncall");
        Upstream.serveRecorded();
        long recovery = patch("/api/syncall").json().get("run_id").asLong();

        // one consumer takes the events in order: once the recovery is in, every failure before it is too
        await().atMost(Duration.ofSeconds(10)).until(() -> alerts("sync_recovered").size() == 1);
        List<JsonNode> failed = alerts("sync_failed");
        assertThat(failed).hasSize(2);
        JsonNode first = failed.get(0);
        assertThat(first.get("run_id").asLong()).isEqualTo(firstFailure);
        assertThat(first.get("reason").asText()).isEqualTo("http_404");
        assertThat(first.get("stage").asText()).isEqualTo("fetch_warehouses");
        assertThat(first.get("message").asText()).contains("404");
        assertThat(first.get("consecutive_failures").asInt()).isEqualTo(1);
        assertThat(first.get("service").asText()).isEqualTo("soukosync");
        assertThat(first.get("date").asText()).endsWith("Z");
        assertThat(failed.get(1).get("reason").asText()).isEqualTo("http_500");
        assertThat(failed.get(1).get("consecutive_failures").asInt()).isEqualTo(4);
        JsonNode recovered = alerts("sync_recovered").get(0);
        assertThat(recovered.get("run_id").asLong()).isEqualTo(recovery);
        assertThat(recovered.get("consecutive_failures").asInt()).isEqualTo(5);
        Upstream.RECEIVER.verify(postRequestedFor(urlPathEqualTo(HOOK))
                .withHeader("Authorization", equalTo("Bearer " + HOOK_TOKEN)).withHeader("X-Team", equalTo("ops"))
                .withHeader("Content-Type", equalTo("application/json")));
    }

    @Test
    void aReceiverThatFailsOnceGetsTheAlertOnTheNextTry() {
        Upstream.RECEIVER.stubFor(post(urlPathEqualTo(HOOK)).atPriority(1).inScenario("flaky")
                .whenScenarioStateIs(STARTED).willSetStateTo("up").willReturn(aResponse().withStatus(500)));
        patch("/api/syncall");
        Upstream.serveWarehouses(aResponse().withStatus(404));

        patch("/api/syncall");

        await().atMost(Duration.ofSeconds(10)).until(() -> alerts("sync_failed").size() == 2);
        assertThat(alerts("sync_failed").get(0)).isEqualTo(alerts("sync_failed").get(1));
    }

    @Test
    void aHangingReceiverNeverSlowsASyncAndNoSecretReachesTheLog(CapturedOutput output) {
        Upstream.RECEIVER.stubFor(post(urlPathEqualTo(HOOK)).atPriority(1)
                .willReturn(aResponse().withStatus(204).withFixedDelay(5000)));
        patch("/api/syncall");
        Upstream.serveWarehouses(aResponse().withStatus(404));

        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            assertThat(patch("/api/syncall").json().get("response").asText()).isEqualTo("error");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
        Upstream.serveRecorded();
        assertThat(patch("/api/syncall").json().get("response").asText()).isEqualTo("ok");

        // both events of the incident were tried (and the queue is empty for the next test)
        await().atMost(Duration.ofSeconds(30)).until(() -> output.getAll().contains("Alert sync_failed NOT delivered after 3 tries")
                && output.getAll().contains("Alert sync_recovered NOT delivered after 3 tries"));
        assertThat(output.getAll()).doesNotContain(HOOK_TOKEN).doesNotContain(HOOK);
    }

    @Test
    void aMirrorWithoutASuccessForTooLongIsAnIncidentToo() {
        patch("/api/syncall");
        Upstream.serveNothing(); // the upstream is gone, and the schedule is off: nothing runs

        await().atMost(Duration.ofSeconds(15)).until(() -> alerts("sync_stale").size() == 1);
        JsonNode stale = alerts("sync_stale").get(0);
        assertThat(stale.get("message").asText()).startsWith("the last successful sync ended");

        Upstream.serveRecorded();
        patch("/api/syncall");
        await().atMost(Duration.ofSeconds(10)).until(() -> alerts("sync_recovered").size() == 1);
        assertThat(alerts("sync_stale")).hasSize(1);
    }
}
