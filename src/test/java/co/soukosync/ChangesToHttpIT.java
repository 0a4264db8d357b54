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
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * CHANGES_ENDPOINT=http://… (a WireMock receiver): a change per POST, in seq order; a 503 is tried
 * again with a growing pause; a 400 stops delivery on that change (health, one alert) until an
 * operator skips it, then delivery resumes (one more alert).
 */
@TestPropertySource(properties = {
        "soukosync.changes.batch-size=50",
        "soukosync.changes.poll-ms=100",
        "soukosync.changes.retry-delay-ms=100",
        "soukosync.changes.retry-max-delay-ms=800",
        "soukosync.changes.check-seconds=1",
        "soukosync.changes.stall-seconds=2",
})
class ChangesToHttpIT extends ShortTimeoutsSupport {

    static final String CHANGES = "/changes";
    static final String OPS = "Authorization: Basic "
            + Base64.getEncoder().encodeToString(("ops:" + CONSOLE_PASSWORD).getBytes(StandardCharsets.UTF_8));
    /** How an operator skips the change delivery stopped on (docs/operations.md, "Skip a refused change"). */
    static final String SKIP = "UPDATE changes_delivery SET position = rejected_seq, rejected_seq = NULL,"
            + " rejected_reason = NULL, rejected_at = NULL WHERE rejected_seq = ?";

    @Autowired
    CamelContext camel;

    /**
     * IntegrationSupport's fresh start, with delivery paused around it: the delivery's reads of the
     * change log and its TRUNCATE would deadlock (the routes run from the context's start on).
     */
    @Override
    @BeforeEach
    void startFromScratch() {
        DeliveryRoutes.pause(camel);
        super.startFromScratch();
        deliveredUpToNowToAReceiverThatTakesAll();
    }

    @DynamicPropertySource
    static void changesReceiver(DynamicPropertyRegistry registry) {
        registry.add("soukosync.changes.endpoint", () -> Upstream.receiverUrl(CHANGES));
    }

    /** Everything committed so far counted as delivered, to a receiver that takes all. */
    private void deliveredUpToNowToAReceiverThatTakesAll() {
        Upstream.RECEIVER.resetAll();
        Upstream.RECEIVER.stubFor(post(urlPathEqualTo(CHANGES)).willReturn(aResponse().withStatus(204)));
        Upstream.RECEIVER.stubFor(post(urlPathEqualTo(HOOK)).willReturn(aResponse().withStatus(204)));
        jdbc.update("UPDATE changes_delivery SET position = (SELECT last_seq FROM sync_feed), rejected_seq = NULL,"
                + " rejected_reason = NULL, rejected_at = NULL, incident = NULL, incident_reason = NULL");
        DeliveryRoutes.resume(camel);
    }

    /** Delivery pauses between tests (DeliveryRoutes says why). */
    @AfterEach
    void pauseDelivery() {
        DeliveryRoutes.pause(camel);
    }

    private long position() {
        return jdbc.queryForObject("SELECT position FROM changes_delivery", Long.class);
    }

    private static List<LoggedRequest> posts() {
        return Upstream.RECEIVER.findAll(postRequestedFor(urlPathEqualTo(CHANGES)));
    }

    private static List<Long> postedSeqs() {
        return posts().stream().map(request -> Long.parseLong(request.getHeader("soukosync_seq"))).toList();
    }

    private List<JsonNode> alerts(String event) {
        return Upstream.RECEIVER.findAll(postRequestedFor(urlPathEqualTo(HOOK))).stream().map(request -> {
            try {
                return JSON.readTree(request.getBodyAsString());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).filter(alert -> event.equals(alert.get("event").asText())).toList();
    }

    @Test
    void aRefusedChangeStopsDeliveryOnItWithHealthAndOneAlertUntilAnOperatorSkipsIt() throws Exception {
        long before = ChangeFeedLog.lastSeq(jdbc);
        long poison = before + 3;
        Upstream.RECEIVER.stubFor(post(urlPathEqualTo(CHANGES)).atPriority(1)
                .withHeader("soukosync_seq", equalTo(Long.toString(poison)))
                .willReturn(aResponse().withStatus(400).withBody("{\"error\":\"no such warehouse type\"}")));
        assertThat(patch("/api/syncall").json().get("response").asText()).isEqualTo("ok");
        long last = ChangeFeedLog.lastSeq(jdbc);
        assertThat(last).isGreaterThan(poison);

        await().atMost(Duration.ofSeconds(20)).until(() -> alerts("delivery_stalled").size() == 1);
        JsonNode stalled = alerts("delivery_stalled").get(0);
        assertThat(stalled.get("seq").asLong()).isEqualTo(poison);
        assertThat(stalled.get("reason").asText()).isEqualTo("rejected");
        assertThat(stalled.get("message").asText()).contains("HTTP 400");
        assertThat(position()).as("what was accepted before the refused change").isEqualTo(poison - 1);
        Answer health = raw("GET", "/actuator/health/changesDelivery", OPS);
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.json().get("details").get("seq").asLong()).isEqualTo(poison);
        assertThat(get("/actuator/health/readiness").status()).as("readiness does not fail").isEqualTo(200);
        // tried again (alone, every retry-max-delay-ms), never skipped, never alerted twice
        await().atMost(Duration.ofSeconds(10)).until(() -> postedSeqs().stream().filter(s -> s == poison).count() >= 3);
        assertThat(postedSeqs()).allSatisfy(seq -> assertThat(seq).isLessThanOrEqualTo(poison));
        assertThat(position()).isEqualTo(poison - 1);
        assertThat(alerts("delivery_stalled")).hasSize(1);

        assertThat(jdbc.update(SKIP, poison)).as("the operator's skip").isEqualTo(1);

        await().atMost(Duration.ofSeconds(20)).until(() -> position() == last);
        List<Long> accepted = postedSeqs().stream().filter(seq -> seq != poison).toList();
        ChangeFeedLog.checkInOrderWithoutGap(accepted.stream().filter(seq -> seq < poison).toList(), before + 1, poison - 1);
        ChangeFeedLog.checkInOrderWithoutGap(accepted.stream().filter(seq -> seq > poison).toList(), poison + 1, last);
        await().atMost(Duration.ofSeconds(10)).until(() -> alerts("delivery_recovered").size() == 1);
        assertThat(get("/actuator/health/changesDelivery").status()).isEqualTo(200);
        LoggedRequest first = posts().get(0);
        assertThat(first.getHeader("Content-Type")).startsWith("application/json");
        assertThat(JSON.readTree(first.getBodyAsString()).get("seq").asLong()).isEqualTo(before + 1);
        assertThat(first.getHeader("soukosync_entity")).isNotBlank();
    }

    @Test
    void skippingTheLastChangeEndsTheIncidentTooAndTheMetricsSayWhatHappened() {
        double deliveredBefore = metric("soukosync_changes_delivered_total");
        double failuresBefore = metric("soukosync_changes_delivery_failures_total");
        long before = ChangeFeedLog.lastSeq(jdbc);
        Upstream.RECEIVER.stubFor(post(urlPathEqualTo(CHANGES)).atPriority(1)
                .withHeader("soukosync_entity", equalTo("links")).willReturn(aResponse().withStatus(422)));
        assertThat(patch("/api/syncall").json().get("response").asText()).isEqualTo("ok");
        long last = ChangeFeedLog.lastSeq(jdbc);
        await().atMost(Duration.ofSeconds(20)).until(() -> alerts("delivery_stalled").size() == 1);
        long poison = alerts("delivery_stalled").get(0).get("seq").asLong();
        await().atMost(Duration.ofSeconds(5)).until(() -> metric("soukosync_changes_lag_changes") == last - poison + 1);
        assertThat(metric("soukosync_changes_lag_seconds")).isGreaterThanOrEqualTo(0);

        // skipped one by one up to the last change: nothing is accepted after the last skip
        for (long seq = poison; seq <= last; seq++) {
            long skipped = seq;
            await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.update(SKIP, skipped) == 1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> alerts("delivery_recovered").size() == 1);
        assertThat(position()).isEqualTo(last);
        assertThat(metric("soukosync_changes_delivered_total") - deliveredBefore).isEqualTo(poison - 1 - before);
        assertThat(metric("soukosync_changes_delivery_failures_total") - failuresBefore).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> metric("soukosync_changes_lag_changes") == 0);
    }

    private double metric(String name) {
        return get("/actuator/prometheus").body().lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void anOutageLongerThanTheStallSecondsIsOneIncidentAndDeliveryResumesWhereItStopped() {
        long before = ChangeFeedLog.lastSeq(jdbc);
        Upstream.RECEIVER.stubFor(post(urlPathEqualTo(CHANGES)).atPriority(1).willReturn(aResponse().withStatus(503)));
        assertThat(patch("/api/syncall").json().get("response").asText()).isEqualTo("ok");
        long last = ChangeFeedLog.lastSeq(jdbc);

        await().atMost(Duration.ofSeconds(20)).until(() -> alerts("delivery_stalled").size() == 1);
        JsonNode stalled = alerts("delivery_stalled").get(0);
        assertThat(stalled.get("reason").asText()).isEqualTo("stalled");
        assertThat(stalled.get("seq").asLong()).isEqualTo(before + 1);
        assertThat(get("/actuator/health/changesDelivery").status()).isEqualTo(503);
        assertThat(get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(position()).isEqualTo(before);

        Upstream.RECEIVER.resetAll();
        Upstream.RECEIVER.stubFor(post(urlPathEqualTo(CHANGES)).willReturn(aResponse().withStatus(204)));
        Upstream.RECEIVER.stubFor(post(urlPathEqualTo(HOOK)).willReturn(aResponse().withStatus(204)));
        await().atMost(Duration.ofSeconds(20)).until(() -> position() == last);
        ChangeFeedLog.checkInOrderWithoutGap(postedSeqs(), before + 1, last);
        await().atMost(Duration.ofSeconds(10)).until(() -> alerts("delivery_recovered").size() == 1);
        assertThat(alerts("delivery_stalled")).as("one incident, announced once").isEmpty();
        assertThat(get("/actuator/health/changesDelivery").status()).isEqualTo(200);
    }

    @Test
    void anEndpointAnswering503IsTriedAgainWithAGrowingPauseAndNothingIsLost() {
        long before = ChangeFeedLog.lastSeq(jdbc);
        Upstream.RECEIVER.stubFor(post(urlPathEqualTo(CHANGES)).atPriority(1).inScenario("down")
                .whenScenarioStateIs(STARTED).willReturn(aResponse().withStatus(503)).willSetStateTo("down-2"));
        Upstream.RECEIVER.stubFor(post(urlPathEqualTo(CHANGES)).atPriority(1).inScenario("down")
                .whenScenarioStateIs("down-2").willReturn(aResponse().withStatus(503)).willSetStateTo("down-3"));
        Upstream.RECEIVER.stubFor(post(urlPathEqualTo(CHANGES)).atPriority(1).inScenario("down")
                .whenScenarioStateIs("down-3").willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        assertThat(patch("/api/syncall").json().get("response").asText()).isEqualTo("ok");
        long last = ChangeFeedLog.lastSeq(jdbc);

        await().atMost(Duration.ofSeconds(20)).until(() -> position() == last);
        List<LoggedRequest> posts = posts();
        assertThat(postedSeqs().subList(0, 4)).as("the first change, refused 3 times, then accepted")
                .containsOnly(before + 1);
        // the pauses of the policy, 100, 200 and 400 ms, are lower bounds: a busy machine only adds to them
        for (int i = 1; i <= 3; i++) {
            long gap = posts.get(i).getLoggedDate().getTime() - posts.get(i - 1).getLoggedDate().getTime();
            assertThat(gap).as("pause %d: retry-delay-ms, doubled each time", i).isGreaterThanOrEqualTo(90L << (i - 1));
        }
        ChangeFeedLog.checkInOrderWithoutGap(postedSeqs(), before + 1, last);
        assertThat(alerts("delivery_stalled")).as("a short outage is no incident").isEmpty();
    }
}
