package co.soukosync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import com.github.tomakehurst.wiremock.client.WireMock;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.http.Fault;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Transient upstream faults and bad answers, with the short timeouts of ShortTimeoutsSupport. */
class UpstreamFaultsIT extends ShortTimeoutsSupport {

    @Test
    void aHungUpstreamTimesOutWithinTheTimeoutTimesTheAttempts() {
        patch("/api/syncall");
        var before = mirror();
        Upstream.serveWarehouses(Upstream.json(Upstream.warehousesAnswer().toString()).withFixedDelay(5000));

        long start = System.nanoTime();
        JsonNode answer = patch("/api/syncall").json();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(answer.at("/data/reason").asText()).isEqualTo("timeout");
        assertThat(answer.at("/data/stage").asText()).isEqualTo("fetch_warehouses");
        // three attempts of 400 ms and two short pauses, far from the 5 s the upstream hangs
        assertThat(took).isLessThan(Duration.ofMillis(3000));
        assertThat(mirror()).isEqualTo(before);
    }

    @Test
    void aDripFedAnswerIsCutOffAtTheCallsDeadlineAndTheMirrorIsUntouched() {
        patch("/api/syncall");
        var before = mirror();
        ObjectNode renamed = Upstream.warehousesAnswer();
        Upstream.warehouses(renamed).forEach(w -> ((ObjectNode) w).put("name", "renamed"));
        // each chunk arrives well within the 400 ms read timeout; the whole takes 20 s
        Upstream.serveWarehouses(Upstream.json(renamed.toString()).withChunkedDribbleDelay(400, 20_000).withGzipDisabled(true));

        long start = System.nanoTime();
        JsonNode answer = patch("/api/syncall").json();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(answer.at("/data/reason").asText()).isEqualTo("timeout");
        assertThat(answer.at("/data/stage").asText()).isEqualTo("fetch_warehouses");
        assertThat(answer.at("/data/message").asText()).contains("HTTP_CALL_DEADLINE_SECONDS");
        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(mirror()).isEqualTo(before);
    }

    @Test
    void aRunPastItsDeadlineFailsAsTimeoutWhateverItWasDoing() {
        // every attempt at the user is cut off at the call's deadline (1 s) and retried, until the run's (3 s)
        Upstream.SERVER.stubFor(WireMock.get(urlPathEqualTo(Upstream.ME)).atPriority(1)
                .willReturn(Upstream.json(Upstream.fixture("users_me.json")).withChunkedDribbleDelay(400, 20_000).withGzipDisabled(true)));

        long start = System.nanoTime();
        JsonNode answer = patch("/api/syncall").json();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(answer.at("/data/reason").asText()).isEqualTo("timeout");
        assertThat(answer.at("/data/stage").asText()).isEqualTo("fetch_user");
        assertThat(answer.at("/data/message").asText()).contains("SYNC_RUN_DEADLINE_SECONDS");
        assertThat(took).isBetween(Duration.ofMillis(2900), Duration.ofSeconds(6));
        assertThat(count("SELECT count(*) FROM users")).isZero();
    }

    @Test
    void anAnswerThatGoesOnDrippingAfterItFailedIsDroppedAndTheNextSyncRunsAtOnce() {
        patch("/api/syncall");
        var before = mirror();
        // wrong from its first byte (a list, not an object), then a minute more of it, each chunk in time
        Upstream.serveWarehouses(Upstream.json("[" + " ".repeat(2_399))
                .withChunkedDribbleDelay(1_200, 60_000).withGzipDisabled(true));

        long start = System.nanoTime();
        JsonNode failed = patch("/api/syncall").json();

        assertThat(failed.at("/data/reason").asText()).isEqualTo("bad_response");
        assertThat(failed.at("/data/stage").asText()).isEqualTo("fetch_warehouses");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(mirror()).isEqualTo(before);

        // the failed run gave the gate back without reading the rest of that answer
        Upstream.serveRecorded();
        start = System.nanoTime();
        JsonNode next = patch("/api/syncall").json();

        assertThat(next.get("response").asText()).as(next.toString()).isEqualTo("ok");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aRunThatReachesItsDeadlineMidDripDropsTheAnswerAndTheNextSyncRunsAtOnce() {
        patch("/api/syncall");
        var before = mirror();
        // a minute of whitespace before the list: every attempt is cut at the call's deadline (1 s)
        // and retried, until the run's (3 s) cuts the last one
        Upstream.serveWarehouses(Upstream.json(" ".repeat(2_400) + Upstream.warehousesAnswer())
                .withChunkedDribbleDelay(1_200, 60_000).withGzipDisabled(true));

        long start = System.nanoTime();
        JsonNode failed = patch("/api/syncall").json();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(failed.at("/data/reason").asText()).isEqualTo("timeout");
        assertThat(failed.at("/data/stage").asText()).isEqualTo("fetch_warehouses");
        assertThat(failed.at("/data/message").asText()).contains("SYNC_RUN_DEADLINE_SECONDS");
        assertThat(took).isBetween(Duration.ofMillis(2900), Duration.ofSeconds(6));
        assertThat(mirror()).isEqualTo(before);

        Upstream.serveRecorded();
        start = System.nanoTime();
        JsonNode next = patch("/api/syncall").json();

        assertThat(next.get("response").asText()).as(next.toString()).isEqualTo("ok");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void anErrorAnswerWhoseBodyDripsIsCutAtTheDeadlineToo() {
        // camel-http reads an error answer's body itself, before any step of ours sees the answer
        Upstream.SERVER.stubFor(WireMock.get(urlPathEqualTo(Upstream.ME)).atPriority(1)
                .willReturn(aResponse().withStatus(503).withBody(" ".repeat(1_200))
                        .withChunkedDribbleDelay(1_200, 60_000).withGzipDisabled(true)));

        long start = System.nanoTime();
        JsonNode answer = patch("/api/syncall").json();

        assertThat(answer.at("/data/reason").asText()).as(answer.toString()).isEqualTo("timeout");
        assertThat(answer.at("/data/stage").asText()).isEqualTo("fetch_user");
        assertThat(answer.at("/data/message").asText()).contains("_DEADLINE_SECONDS");
        // cut at the call's deadline (1 s) and retried, until the run's (3 s)
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
        assertThat(count("SELECT count(*) FROM users")).isZero();
    }

    @Test
    void aResetConnectionIsRetriedAndTheRunCompletes() {
        Upstream.SERVER.stubFor(WireMock.get(urlPathEqualTo(Upstream.ME)).atPriority(1)
                .inScenario("reset").whenScenarioStateIs(STARTED).willSetStateTo("recovered")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        JsonNode answer = patch("/api/syncall").json();

        assertThat(answer.get("response").asText()).isEqualTo("ok");
        Upstream.SERVER.verify(2, getRequestedFor(urlPathEqualTo(Upstream.ME)));
    }

    @Test
    void anEmptyAnswerIsClosedAfterTheRetries() {
        Upstream.SERVER.stubFor(WireMock.get(urlPathEqualTo(Upstream.ME)).atPriority(1)
                .willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));

        JsonNode answer = patch("/api/syncall").json();

        assertThat(answer.at("/data/reason").asText()).isEqualTo("closed");
        Upstream.SERVER.verify(3, getRequestedFor(urlPathEqualTo(Upstream.ME)));
    }

    @Test
    void aShortRetryAfterIsHonoured() {
        Upstream.SERVER.stubFor(WireMock.get(urlPathEqualTo(Upstream.ME)).atPriority(1)
                .inScenario("limited").whenScenarioStateIs(STARTED).willSetStateTo("open")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));

        long start = System.nanoTime();
        JsonNode answer = patch("/api/syncall").json();

        assertThat(answer.get("response").asText()).isEqualTo("ok");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        Upstream.SERVER.verify(2, getRequestedFor(urlPathEqualTo(Upstream.ME)));
    }

    @Test
    void aRetryAfterLongerThanTheBudgetFailsTheRunAtOnce() {
        Upstream.SERVER.stubFor(WireMock.get(urlPathEqualTo(Upstream.ME)).atPriority(1)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3600")));

        long start = System.nanoTime();
        JsonNode answer = patch("/api/syncall").json();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(answer.at("/data/reason").asText()).isEqualTo("http_429");
        Upstream.SERVER.verify(1, getRequestedFor(urlPathEqualTo(Upstream.ME)));
    }

    @Test
    void otherClientErrorsAreNotRetried() {
        Upstream.SERVER.stubFor(WireMock.get(urlPathEqualTo(Upstream.ME)).atPriority(1)
                .willReturn(aResponse().withStatus(404)));

        JsonNode answer = patch("/api/syncall").json();

        assertThat(answer.at("/data/reason").asText()).isEqualTo("http_404");
        assertThat(answer.at("/data/stage").asText()).isEqualTo("fetch_user");
        Upstream.SERVER.verify(1, getRequestedFor(urlPathEqualTo(Upstream.ME)));
    }
}
