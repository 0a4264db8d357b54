package co.soukosync;

import static org.assertj.core.api.Assertions.assertThat;

import co.soukosync.upstream.UpstreamConfig;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** Nothing configured: the service syncs its built-in demo upstream, over HTTP like the real one. */
// no other class has this configuration: its context is closed after the class
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestPropertySource(properties = {"soukosync.api.user=", "soukosync.api.password="})
// the demo's data moves on with every run and lives as long as the context: the syncs that count
// on its first states come first
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoUpstreamIT extends IntegrationSupport {

    @Test
    @Order(1)
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
    @Order(2)
    void theChangeLogReportsTheDemosLinksOnceAsLinksAgreeingWithTheCounts() {
        List<JsonNode> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(patch("/api/syncall").json());
        }

        for (JsonNode run : runs) {
            assertThat(run.get("response").asText()).as(run.toString()).isEqualTo("ok");
            JsonNode changes = get("/api/runs/" + run.get("run_id").asLong() + "/changes?limit=1000").json().get("data");
            List<String> links = new ArrayList<>();
            List<JsonNode> users = new ArrayList<>();
            changes.forEach(change -> {
                if (change.get("entity").asText().equals("links")) {
                    links.add(change.get("change").asText());
                } else if (change.get("entity").asText().equals("users")) {
                    users.add(change);
                }
            });
            String name = "run " + run.get("run_id") + ": " + changes;
            assertThat(links.stream().filter("added"::equals).count()).as(name).isEqualTo(run.at("/counts/links/added").asLong());
            assertThat(links.stream().filter("removed"::equals).count()).as(name).isEqualTo(run.at("/counts/links/removed").asLong());
            // the demo user itself does not change from run to run: its links are not its fields
            assertThat(users).as(name).allSatisfy(user -> assertThat(user.get("change").asText()).isEqualTo("inserted"));
            assertThat(run.at("/counts/users/updated").asLong()).as(name).isZero();
        }
        assertThat(runs).as("the pop-up store came and went").anySatisfy(run -> assertThat(run.at("/counts/links/added").asLong()).isPositive())
                .anySatisfy(run -> assertThat(run.at("/counts/links/removed").asLong()).isPositive());
        assertThat(count("SELECT count(*) FROM sync_updates WHERE entity = 'users'")).isZero();
    }

    @Test
    @Order(3)
    void theDemosUserListsTheWarehousesThatItsWarehousesAnswerServesInTheSameRun() {
        Answer grant = sendJson("POST", "/demo/api/v1/auth", "{\"grant_type\":\"password\",\"username\":\""
                + UpstreamConfig.DEMO_USER + "\",\"password\":\"" + UpstreamConfig.DEMO_PASSWORD + "\"}");
        String bearer = "Authorization: Bearer " + grant.json().get("access_token").asText();

        // as a run asks: the user, then its warehouses; over enough runs for the pop-up store to come and go
        for (int run = 0; run < 6; run++) {
            JsonNode me = raw("GET", "/demo/api/v1/iam/users/me", bearer).json();
            JsonNode answer = raw("GET", "/demo/api/v1/iam/users/" + me.get("id").asLong() + "/warehouses", bearer).json();
            List<Long> listed = new ArrayList<>();
            answer.get("warehouses").forEach(w -> listed.add(w.get("id").asLong()));
            List<Long> own = new ArrayList<>();
            me.get("warehouses").forEach(id -> own.add(id.asLong()));
            assertThat(own).as("run " + run).isEqualTo(listed);
        }
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
