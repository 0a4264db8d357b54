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
import com.github.tomakehurst.wiremock.http.Fault;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The upstream token: one per lifetime, one more after a revocation, refusals not hammered, network failures retried. */
class TokenLifecycleIT extends ShortTimeoutsSupport {

    @Test
    void syncsWithinATokensLifetimeCostOneGrantAndARevokedTokenExactlyOneMore() {
        patch("/api/syncall");
        patch("/api/syncall");
        Upstream.SERVER.verify(1, postRequestedFor(urlPathEqualTo(Upstream.AUTH)));

        Upstream.serveOnlyToken("test-token-2"); // test-token-1 is revoked: data calls with it get 401

        JsonNode answer = patch("/api/syncall").json();

        assertThat(answer.get("response").asText()).isEqualTo("ok");
        Upstream.SERVER.verify(1, postRequestedFor(urlPathEqualTo(Upstream.AUTH)));
        Upstream.SERVER.verify(2, getRequestedFor(urlPathEqualTo(Upstream.ME)));
        patch("/api/syncall");
        Upstream.SERVER.verify(1, postRequestedFor(urlPathEqualTo(Upstream.AUTH)));
    }

    @Test
    void refusedCredentialsAreUnauthorizedAndNotTriedAgainInALoop() {
        Upstream.SERVER.stubFor(post(urlPathEqualTo(Upstream.AUTH)).atPriority(1)
                .willReturn(aResponse().withStatus(401).withBody("{\"error\":\"invalid_grant\"}")));

        for (int i = 0; i < 3; i++) {
            JsonNode answer = patch("/api/syncall").json();
            assertThat(answer.at("/data/reason").asText()).isEqualTo("unauthorized");
            assertThat(answer.at("/data/stage").asText()).isEqualTo("auth");
        }

        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).until(() ->
                Upstream.SERVER.findAll(postRequestedFor(urlPathEqualTo(Upstream.AUTH))).size() == 1);
        assertThat(count("SELECT count(*) FROM sync_runs WHERE error_reason = 'unauthorized'")).isEqualTo(3);
    }

    @Test
    void aDripFedTokenAnswerIsCutAtTheCallsDeadlineAndHoldsNothingAfterwards() {
        patch("/api/syncall");
        var before = mirror();
        tokenStore.reset();
        // each chunk in time for the 400 ms read timeout; the whole would take a minute
        Upstream.SERVER.stubFor(post(urlPathEqualTo(Upstream.AUTH)).atPriority(1)
                .willReturn(Upstream.json(" ".repeat(1_200) + Upstream.fixture("auth_token.json"))
                        .withChunkedDribbleDelay(1_200, 60_000).withGzipDisabled(true)));

        long start = System.nanoTime();
        JsonNode answer = patch("/api/syncall").json();

        assertThat(answer.at("/data/reason").asText()).as(answer.toString()).isEqualTo("timeout");
        assertThat(answer.at("/data/stage").asText()).isEqualTo("auth");
        assertThat(answer.at("/data/message").asText()).contains("HTTP_CALL_DEADLINE_SECONDS");
        // the call's deadline is 1 s
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        assertThat(mirror()).isEqualTo(before);

        Upstream.serveRecorded();
        start = System.nanoTime();
        JsonNode next = patch("/api/syncall").json();

        assertThat(next.get("response").asText()).as(next.toString()).isEqualTo("ok");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aGrantLostOnTheNetworkAnswersPromptlyAndIsRetriedInTheBackground() {
        Upstream.SERVER.stubFor(post(urlPathEqualTo(Upstream.AUTH)).atPriority(1)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        long start = System.nanoTime();
        JsonNode answer = patch("/api/syncall").json();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(answer.at("/data/reason").asText()).isEqualTo("closed");
        assertThat(answer.at("/data/stage").asText()).isEqualTo("auth");

        Upstream.serveRecorded(); // the upstream is back
        await().atMost(Duration.ofSeconds(5)).until(() -> !tokenStore.needsGrant());
        Upstream.SERVER.verify(0, getRequestedFor(urlPathEqualTo(Upstream.ME)));
        assertThat(patch("/api/syncall").json().get("response").asText()).isEqualTo("ok");
        Upstream.SERVER.verify(1, postRequestedFor(urlPathEqualTo(Upstream.AUTH)));
    }
}
