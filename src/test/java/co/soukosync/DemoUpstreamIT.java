package co.soukosync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** Nothing configured: the service syncs its built-in demo upstream, over HTTP like the real one. */
// no other class has this configuration: its context is closed after the class
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestPropertySource(properties = {"soukosync.api.user=", "soukosync.api.password="})
class DemoUpstreamIT extends IntegrationSupport {

    @Test
    void withNothingConfiguredSyncsShowInsertsUpdatesAndRemovedLinks() {
        JsonNode first = patch("/api/syncall").json();
        JsonNode second = patch("/api/syncall").json();
        JsonNode third = patch("/api/syncall").json();
        JsonNode fourth = patch("/api/syncall").json();

        assertThat(first.get("response").asText()).isEqualTo("ok");
        assertThat(first.get("data").asText()).isEqualTo("6 upserted");
        assertThat(first.at("/counts/warehouses/inserted").asLong()).isEqualTo(5);
        assertThat(second.at("/counts/warehouses/updated").asLong()).isEqualTo(1);
        assertThat(third.get("data").asText()).isEqualTo("7 upserted");
        assertThat(third.at("/counts/warehouses/inserted").asLong()).isEqualTo(1);
        assertThat(fourth.at("/counts/links/removed").asLong()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM users WHERE username = 'demo.user'")).isEqualTo(1);
        assertThat(Upstream.SERVER.getAllServeEvents()).as("the WireMock upstream is not used").isEmpty();
    }

    @Test
    void theDemoRefusesWrongCredentialsAndTokensLikeTheRealApi() {
        assertThat(sendJson("POST", "/demo/api/v1/auth", "{\"grant_type\":\"password\",\"username\":\"demo\",\"password\":\"nope\"}")
                .status()).isEqualTo(401);
        Answer noToken = get("/demo/api/v1/iam/users/me");
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.json().get("error").asText()).isEqualTo("invalid_token");
    }

    /** The API key is set in this class's context too (the calls of api() carry it): the service calls its demo without it. */
    static final String KEY = "demo-key-0123456789";

    @DynamicPropertySource
    static void apiKeySet(DynamicPropertyRegistry registry) {
        registry.add("soukosync.api-key", () -> KEY);
    }

    @Override
    protected String apiKey() {
        return KEY;
    }

    /** Without the key, the demo's own paths answer as the demo does; any other /demo/ path asks for the key. */
    @Test
    void onlyTheDemosOwnPathsAreOpenWithoutTheKey() {
        Answer demo = raw("GET", "/demo/api/v1/iam/users/me");
        assertThat(demo.status()).isEqualTo(401);
        assertThat(demo.json().get("error").asText()).isEqualTo("invalid_token");
        for (String path : new String[] {"/demo/api/v1/iam/users", "/demo/api/v1/other", "/demo/x"}) {
            Answer other = raw("GET", path);
            assertThat(other.status()).as(path).isEqualTo(401);
            assertThat(other.json().at("/data/reason").asText()).as(path).isEqualTo("unauthorized");
        }
    }
}
