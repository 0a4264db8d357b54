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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.component.seda.SedaEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** ALERT_WEBHOOK_URL: one alert per incident, to a receiver that may fail or hang. */
// the receiver's URL and headers, its retries and the stale check come with ShortTimeoutsSupport
@ExtendWith(OutputCaptureExtension.class)
class AlertsIT extends ShortTimeoutsSupport {

    private static final String OPS = "Authorization: Basic "
            + Base64.getEncoder().encodeToString(("ops:" + CONSOLE_PASSWORD).getBytes(StandardCharsets.UTF_8));

    @Autowired
    CamelContext camel;

    @Autowired
    LoggingSystem logging;

    /** What must not be shown: the upstream's password and token, the webhook's URL (its path too) and header, the console's password. */
    private static List<String> secrets() {
        return List.of(Upstream.PASSWORD, Upstream.TOKEN, HOOK_TOKEN, Upstream.receiverUrl(HOOK), HOOK, CONSOLE_PASSWORD,
                OPS.substring(OPS.lastIndexOf(' ') + 1).replace("=", ""));
    }

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

    @Test
    void noSecretReachesAnyLogLineEvenWithEveryLoggerAtTrace(CapturedOutput output) {
        // the receiver fails once: the failed POST, its exception and the retry are logged too
        Upstream.RECEIVER.stubFor(post(urlPathEqualTo(HOOK)).atPriority(1).inScenario("flaky")
                .whenScenarioStateIs(STARTED).willSetStateTo("up").willReturn(aResponse().withStatus(500)));
        try (EveryLoggerAtTrace trace = new EveryLoggerAtTrace(logging)) {
            // a password grant, the token on the data calls, a sync that fails and its alert
            assertThat(patch("/api/syncall").json().get("response").asText()).isEqualTo("ok");
            Upstream.serveWarehouses(aResponse().withStatus(404));
            assertThat(patch("/api/syncall").json().get("response").asText()).isEqualTo("error");
            await().atMost(Duration.ofSeconds(30)).until(() -> output.getAll().contains("Alert sync_failed delivered"));
            // and a console read with the console's credentials
            assertThat(raw("GET", "/actuator/jolokia/version", OPS).status()).isEqualTo(200);
        }

        String log = output.getAll();
        // the capture did see the wire: the calls, the webhook's POSTs, the console's request
        assertThat(log).contains(" TRACE ").contains(Upstream.WAREHOUSES).contains("sync_failed").contains("jolokia");
        // the first POST got the 500 (the stale check's alert may have been that one), a later one was delivered
        assertThat(Upstream.RECEIVER.findAll(postRequestedFor(urlPathEqualTo(HOOK)))).hasSizeGreaterThanOrEqualTo(2);
        for (String secret : secrets()) {
            assertThat(log).as("a log line at TRACE").doesNotContain(secret);
        }
    }

    @Test
    void neitherJolokiaNorTheDevConsolesNorTheMetricsShowTheWebhook() {
        Upstream.serveWarehouses(aResponse().withStatus(404));
        patch("/api/syncall");
        await().atMost(Duration.ofSeconds(10)).until(() -> alerts("sync_failed").size() == 1);

        StringBuilder seen = new StringBuilder();
        // every attribute of every Camel MBean: endpoints (EndpointUri, ServiceLocationUrl), producers,
        // services, processors (Destination); and every MBean's name
        for (String read : List.of("/actuator/jolokia/read/org.apache.camel:*?ignoreErrors=true", "/actuator/jolokia/list")) {
            Answer answer = raw("GET", read, OPS);
            assertThat(answer.status()).as(read).isEqualTo(200);
            seen.append(answer.body());
        }
        String context = "org.apache.camel:context=" + camel.getManagementName() + ",type=context,name=\\\"" + camel.getName() + "\\\"";
        // the routes as Hawtio's diagram and Source tab get them, placeholders resolved
        Answer dump = rawBody("POST", "/actuator/jolokia/", "{\"type\":\"exec\",\"mbean\":\"" + context
                + "\",\"operation\":\"dumpRoutesAsXml(boolean)\",\"arguments\":[true]}", OPS, "Content-Type: text/plain");
        assertThat(dump.body()).contains("alert-send");
        seen.append(dump.body());
        Answer consoles = raw("GET", "/actuator/camel", OPS);
        // every console once: /actuator/camel/all answers each under its id, as /actuator/camel/{id} does
        // (the same call with the same options; {id} answers every console whose id is part of it too,
        // so that route-dump's answer has route's)
        Answer all = raw("GET", "/actuator/camel/all", OPS);
        assertThat(all.json().fieldNames()).toIterable().containsAll(() -> consoles.json().fieldNames());
        seen.append(all.body());
        seen.append(get("/actuator/prometheus").body());

        assertThat(seen.toString()).contains("alert-send").contains("EndpointUri"); // the crawl did reach them
        for (String secret : List.of(Upstream.receiverUrl(HOOK), HOOK, HOOK_TOKEN)) {
            assertThat(seen.toString()).as("a console shows the webhook").doesNotContain(secret);
        }
    }
}
