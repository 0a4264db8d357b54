package co.soukosync.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import co.soukosync.RouteTestSupport;
import co.soukosync.sync.SyncRun;
import co.soukosync.sync.SyncRuns;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * upstream-auth.camel.yaml: what leaves the service on an upstream call and what comes back from it
 * (only the headers the routes set go out, none of the answer's comes back), when a token is granted
 * (only when the token store needs one, by a JSON POST of the password grant), the run's deadline
 * checked before a call, an answer that is not JSON refused, and the background retry of a grant.
 * The upstream is mock:upstream and mock:grant (RouteTestSupport), the token store the real one, on
 * credentials for a password grant.
 */
class UpstreamAuthRoutesTest extends RouteTestSupport {

    @Autowired
    TokenStore tokenStore;

    @BeforeEach
    void noTokenYet() {
        tokenStore.reset();
        serveUpstream();
    }

    /** upstream-get for a run of this much time left, with the headers a caller's request would have brought. */
    private Exchange get(String path, Duration left) {
        SyncRun run = SyncRuns.calling("fetch_user", path, left);
        return template.send("direct:upstream-get", exchange -> {
            exchange.setVariable("run", run);
            exchange.getMessage().setHeader("Authorization", "Bearer our-own-api-key");
            exchange.getMessage().setHeader("X-Forwarded-For", "10.0.0.7");
        });
    }

    @Test
    void aCallGetsAGrantFirstAndCarriesOnlyItsTokenAndTheAnswerComesBackWithoutHeaders() throws Exception {
        upstream.whenAnyExchangeReceived(exchange -> {
            answer(exchange, "{\"id\":233}");
            exchange.getMessage().setHeader("Set-Cookie", "upstream-session=1");
        });

        Exchange done = get("/iam/users/me", Duration.ofMinutes(1));

        assertThat(done.getException()).isNull();
        assertThat(grant.getReceivedCounter()).isEqualTo(1);
        Map<String, Object> grantHeaders = grant.getReceivedExchanges().get(0).getMessage().getHeaders();
        assertThat(grantHeaders).containsEntry(Exchange.HTTP_METHOD, "POST").containsEntry("Content-Type", "application/json")
                .doesNotContainKeys("Authorization", "X-Forwarded-For");
        String grantBody = grant.getReceivedExchanges().get(0).getMessage().getBody(String.class);
        assertThat(grantBody).contains("\"grant_type\":\"password\"").contains("\"username\":\"user\"");

        assertThat(upstream.getReceivedCounter()).isEqualTo(1);
        Map<String, Object> callHeaders = upstream.getReceivedExchanges().get(0).getMessage().getHeaders();
        assertThat(callHeaders).containsEntry("Authorization", "Bearer granted-token").containsEntry("Accept", "application/json")
                .containsEntry(Exchange.HTTP_METHOD, "GET").doesNotContainKey("X-Forwarded-For");
        // the answer, as the stream it arrived as, without a header of the upstream's
        assertThat(done.getMessage().getHeaders()).doesNotContainKeys("Set-Cookie", "Content-Type", "Authorization");
        try (InputStream body = done.getMessage().getBody(InputStream.class)) {
            assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":233}");
        }
    }

    @Test
    void aTokenHeldServesTheNextCallsWithoutAnotherGrant() {
        get("/iam/users/me", Duration.ofMinutes(1));
        get("/iam/users/233/warehouses", Duration.ofMinutes(1));

        assertThat(grant.getReceivedCounter()).isEqualTo(1);
        assertThat(upstream.getReceivedCounter()).isEqualTo(2);
        assertThat(upstreamPaths).containsExactly("/iam/users/me", "/iam/users/233/warehouses");
        // with no grant before it, the data call itself drops what the caller's request brought
        assertThat(upstream.getReceivedExchanges().get(1).getMessage().getHeaders())
                .containsEntry("Authorization", "Bearer granted-token").doesNotContainKey("X-Forwarded-For");
    }

    @Test
    void aRunPastItsDeadlineMakesNoCallAtAll() {
        Exchange done = get("/iam/users/me", Duration.ZERO);

        assertThat(done.getException()).isInstanceOf(DeadlineInputStream.RunDeadlineExceeded.class);
        assertThat(grant.getReceivedCounter()).isZero();
        assertThat(upstream.getReceivedCounter()).isZero();
    }

    @Test
    void anAnswerThatIsNotJsonIsRefusedAtTheCallsStage() {
        upstream.whenAnyExchangeReceived(exchange -> {
            answer(exchange, "<html>maintenance</html>");
            exchange.getMessage().setHeader("Content-Type", "text/html; charset=utf-8");
        });

        Exchange done = get("/iam/users/me", Duration.ofMinutes(1));

        assertThat(done.getException()).isInstanceOf(UpstreamDataException.class)
                .hasMessage("the upstream answered text/html, not JSON");
        assertThat(done.getVariable("run", SyncRun.class).getStage()).as("the call's stage, not auth").isEqualTo("fetch_user");
    }

    @Test
    void aGrantAnswerWithoutATokenFailsTheCallAtAuthBeforeTheDataCall() {
        grant.whenAnyExchangeReceived(exchange -> answer(exchange, "{\"token_type\":\"bearer\"}"));

        Exchange done = get("/iam/users/me", Duration.ofMinutes(1));

        assertThat(done.getException()).isInstanceOf(UpstreamDataException.class).hasMessageContaining("no access_token");
        assertThat(done.getVariable("run", SyncRun.class).getStage()).isEqualTo("auth");
        assertThat(upstream.getReceivedCounter()).isZero();
    }

    @Test
    void theBackgroundRetryAsksForATokenOnlyWhileARetryIsPending() {
        template.sendBody("direct:token-retry-fires", null);
        assertThat(grant.getReceivedCounter()).as("nothing pending").isZero();

        tokenStore.retryLater();
        template.sendBody("direct:token-retry-fires", null);

        assertThat(grant.getReceivedCounter()).isEqualTo(1);
        assertThat(tokenStore.isRetryPending()).isFalse();
        assertThat(tokenStore.needsGrant()).as("the token is held for the next sync").isFalse();
    }
}
