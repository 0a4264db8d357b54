package co.soukosync;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** API_TOKEN set (DeploymentSupport), beside credentials, which it wins over. */
class ManualTokenIT extends DeploymentSupport {

    @Test
    void aManualTokenIsUsedAsIsWithoutAGrant() {
        JsonNode answer = patch("/api/syncall").json();

        assertThat(answer.get("data").asText()).isEqualTo("6 upserted");
        Upstream.SERVER.verify(0, postRequestedFor(urlPathEqualTo(Upstream.AUTH)));
    }

    @Test
    void aManualTokenThatGets401IsUnauthorizedAtOnce() {
        Upstream.serveOnlyToken("another-token"); // the manual token is no longer accepted

        JsonNode answer = patch("/api/syncall").json();

        assertThat(answer.at("/data/reason").asText()).isEqualTo("unauthorized");
        assertThat(answer.at("/data/stage").asText()).isEqualTo("fetch_user");
        Upstream.SERVER.verify(1, getRequestedFor(urlPathEqualTo(Upstream.ME)));
        Upstream.SERVER.verify(0, postRequestedFor(urlPathEqualTo(Upstream.AUTH)));
    }
}
