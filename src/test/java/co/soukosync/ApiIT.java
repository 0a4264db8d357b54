package co.soukosync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(OutputCaptureExtension.class)
class ApiIT extends IntegrationSupport {

    @Test
    void syncastAnswersAtOnceAndSynlastThenShowsTheRun() {
        Answer cast = patch("/api/syncast");

        assertThat(cast.status()).isEqualTo(200);
        JsonNode json = cast.json();
        assertThat(json.get("response").asText()).isEqualTo("ok");
        assertThat(json.get("data").asText()).isEqualTo("sync casted");
        assertThat(json.get("date").asText()).endsWith("Z");

        await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/synlast").json().get("data").size() == 1);
        JsonNode run = get("/api/synlast").json().get("data").get(0);
        assertThat(run.get("response").asText()).isEqualTo("ok");
        assertThat(run.get("data").asText()).isEqualTo("6 upserted");
        assertThat(run.get("trigger").asText()).isEqualTo("cast");
        assertThat(count("SELECT count(*) FROM users_warehouses WHERE user_id = 233")).isEqualTo(5);
    }

    @Test
    void syncastTakesNoParametersAndSaysThatForceAndDryRunBelongToSyncall() {
        for (String query : List.of("force=true", "force=false", "dry_run=true", "dry%5Frun=true")) {
            Answer cast = patch("/api/syncast?" + query);

            assertThat(cast.status()).as(query + ": " + cast.body()).isEqualTo(400);
            assertThat(cast.contentType()).startsWith("application/json");
            assertThat(cast.json().at("/data/reason").asText()).isEqualTo("bad_request");
            assertThat(cast.json().at("/data/message").asText()).contains("PATCH /api/syncall");
        }
        Answer unknown = patch("/api/syncast?x=1");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().at("/data/message").asText()).contains("\"x\"");
        // a misspelt dry_run must not run a real sync
        Answer typo = patch("/api/syncall?dryrun=true");
        assertThat(typo.status()).as(typo.body()).isEqualTo(400);
        assertThat(typo.json().at("/data/message").asText()).contains("\"dryrun\"").contains("dry_run");
        assertThat(count("SELECT count(*) FROM sync_runs")).isZero();

        // none of them queued a run: the next cast queues one of its own, the only one
        assertThat(patch("/api/syncast").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM sync_runs WHERE outcome = 'ok'") == 1);
        assertThat(rows("SELECT trigger, dry_run, forced FROM sync_runs").get(0))
                .containsEntry("trigger", "cast").containsEntry("dry_run", false).containsEntry("forced", false);
    }

    @Test
    void dryRunAndForceAreQueryParametersNotRequestHeaders() {
        Answer answer = raw("PATCH", "/api/syncall", "dry_run: true", "force: true");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().has("dry_run")).as(answer.body()).isFalse();
        assertThat(answer.json().has("forced")).isFalse();
        assertThat(count("SELECT count(*) FROM users_warehouses WHERE user_id = 233")).isEqualTo(5);
        assertThat(patch("/api/syncall?dry_run=true&force=false").json().get("dry_run").asBoolean()).isTrue();
    }

    @Test
    void synlastServesRunsOldestFirstAndCountKeepsTheNewest() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(patch("/api/syncall").json().get("run_id").asLong());
        }

        JsonNode all = get("/api/synlast").json().get("data");
        assertThat(all).hasSize(3);
        assertThat(all.get(0).get("run_id").asLong()).isEqualTo(ids.get(0));
        assertThat(all.get(2).get("run_id").asLong()).isEqualTo(ids.get(2));

        JsonNode newest = get("/api/synlast?count=2").json().get("data");
        assertThat(newest).hasSize(2);
        assertThat(newest.get(0).get("run_id").asLong()).isEqualTo(ids.get(1));
        assertThat(newest.get(1).get("run_id").asLong()).isEqualTo(ids.get(2));
        assertThat(newest.get(1)).isEqualTo(all.get(2));
    }

    @Test
    void synlastServesAtMostTheNewestHundredRuns() {
        jdbc.update("INSERT INTO sync_runs (trigger, started_at, finished_at, outcome) "
                + "SELECT 'schedule', now(), now(), 'ok' FROM generate_series(1, 120)");

        JsonNode runs = get("/api/synlast").json().get("data");

        assertThat(runs).hasSize(100);
        assertThat(runs.get(0).get("run_id").asLong()).isEqualTo(21);
        assertThat(runs.get(99).get("run_id").asLong()).isEqualTo(120);
    }

    @Test
    void failedRunsAppearInSynlastWithTheirReason() {
        Upstream.serveNothing(); // nothing answers: the token request gets WireMock's 404

        JsonNode answer = patch("/api/syncall").json();

        assertThat(answer.get("response").asText()).isEqualTo("error");
        assertThat(answer.at("/data/reason").asText()).isEqualTo("http_404");
        assertThat(answer.at("/data/stage").asText()).isEqualTo("auth");
        JsonNode run = get("/api/synlast?count=1").json().get("data").get(0);
        assertThat(run.get("data")).isEqualTo(answer.get("data"));
    }

    @Test
    void theMirrorIsServedAPageAtATimeInIdOrder() {
        jdbc.update("INSERT INTO warehouses (id, name, line1, raw) SELECT g, 'w' || g, 'l', '{}' FROM generate_series(1, 2500) g");

        Answer first = get("/api/warehouses");
        assertThat(first.json().get("data")).hasSize(100);
        assertThat(first.json().at("/data/0/id").asLong()).isEqualTo(1);
        assertThat(first.json().get("next").asText()).isEqualTo("/api/warehouses?limit=100&after=100");

        List<Long> ids = new ArrayList<>();
        String next = "/api/warehouses?limit=1000";
        while (next != null) {
            JsonNode page = get(next).json();
            assertThat(page.get("data").size()).isLessThanOrEqualTo(1000);
            page.get("data").forEach(w -> ids.add(w.get("id").asLong()));
            next = page.get("next").isNull() ? null : page.get("next").asText();
        }
        assertThat(ids).hasSize(2500).isSorted().doesNotHaveDuplicates();
        assertThat(get("/api/warehouses?limit=10&after=2495").json().get("next").isNull()).isTrue();
        assertThat(get("/api/warehouses?limit=1001").status()).isEqualTo(400);
        assertThat(get("/api/warehouses?after=abc").status()).isEqualTo(400);
        assertThat(get("/api/users?limit=0").status()).isEqualTo(400);
    }

    /** Every id the sync accepts (any JSON integer that fits a bigint) can be read, listed and paged through. */
    @Test
    void everyIdTheSyncAcceptsCanBeReadListedAndPagedThrough() throws Exception {
        List<Long> odd = List.of(Long.MIN_VALUE, -5L, 0L, 1L, Long.MAX_VALUE);
        ObjectNode user = (ObjectNode) JSON.readTree(Upstream.fixture("users_me.json"));
        user.put("id", -5);
        ObjectNode answer = Upstream.warehousesAnswer();
        for (long id : odd) {
            answer.withArray("warehouses").addObject().put("id", id).put("name", "w" + id).put("line1", "l");
        }
        Upstream.SERVER.stubFor(WireMock.get(WireMock.urlPathEqualTo(Upstream.ME)).atPriority(1)
                .willReturn(Upstream.json(user.toString())));
        Upstream.SERVER.stubFor(WireMock.get(WireMock.urlPathEqualTo(Upstream.BASE_PATH + "/iam/users/-5/warehouses")).atPriority(1)
                .willReturn(Upstream.json(answer.toString())));
        JsonNode run = patch("/api/syncall").json();
        assertThat(run.get("response").asText()).as(run.toString()).isEqualTo("ok");
        jdbc.update("INSERT INTO users (id, username, email, employee_id, first_name, last_name, raw) "
                + "SELECT g, 'u', 'e', 'x', 'f', 'l', '{}' FROM unnest(ARRAY[?, ?]::bigint[]) g", Long.MIN_VALUE, Long.MAX_VALUE);

        List<Long> warehouses = new ArrayList<>(odd);
        warehouses.addAll(List.of(185L, 238L, 242L, 251L, 253L));
        warehouses.sort(null);
        for (long id : odd) {
            Answer one = get("/api/warehouses/" + id);
            assertThat(one.status()).as(id + ": " + one.body()).isEqualTo(200);
            assertThat(one.json().at("/data/id").asLong()).isEqualTo(id);
            assertThat(get("/api/warehouses/" + id + "/history").json().at("/data/0/change").asText()).as(id + "").isEqualTo("inserted");
        }
        assertThat(get("/api/users/-5").json().at("/data/id").asLong()).isEqualTo(-5);
        assertThat(get("/api/users/-5/history").json().at("/data/0/change").asText()).isEqualTo("inserted");
        assertThat(get("/api/users/" + Long.MIN_VALUE).status()).isEqualTo(200);
        assertThat(get("/api/users/" + Long.MAX_VALUE).status()).isEqualTo(200);

        // one at a time from the smallest, every next link answered
        assertThat(ids(walk("/api/warehouses?limit=1"), "id")).isEqualTo(warehouses);
        assertThat(ids(walk("/api/users?limit=1"), "id")).containsExactly(Long.MIN_VALUE, -5L, Long.MAX_VALUE);
        JsonNode userPage = get("/api/users/-5/warehouses?limit=1").json();
        List<Long> linked = new ArrayList<>();
        walk("/api/users/-5/warehouses?limit=1").forEach(id -> linked.add(id.asLong()));
        assertThat(linked).isEqualTo(warehouses);
        assertThat(userPage.get("next").asText()).isEqualTo("/api/users/-5/warehouses?limit=1&after=" + Long.MIN_VALUE);
        List<JsonNode> changes = walk("/api/runs/" + run.get("run_id").asLong() + "/changes?limit=1");
        assertThat(changes).hasSize(1 + warehouses.size() * 2);
        assertThat(ids(changes.subList(changes.size() - warehouses.size(), changes.size()), "warehouse_id")).isEqualTo(warehouses);

        // nothing after the largest id; beyond the range, or not a number, still 400 JSON
        assertThat(get("/api/warehouses?after=" + Long.MAX_VALUE).json().get("data")).isEmpty();
        assertThat(get("/api/warehouses?after=" + Long.MAX_VALUE).json().get("next").isNull()).isTrue();
        for (String path : List.of("/api/warehouses/9223372036854775808", "/api/warehouses/-9223372036854775809",
                "/api/warehouses?after=9223372036854775808", "/api/users/--5", "/api/users/+5", "/api/users/5-",
                "/api/warehouses/-", "/api/warehouses/1e3", "/api/users/-5/warehouses?after=-x",
                "/api/runs/" + run.get("run_id").asLong() + "/changes?after=2-9223372036854775808")) {
            Answer bad = get(path);
            assertThat(bad.status()).as(path + ": " + bad.body()).isEqualTo(400);
            assertThat(bad.json().at("/data/reason").asText()).as(path).isEqualTo("bad_request");
        }
    }

    /** Every item of every page, following the "next" links from this first page. */
    private List<JsonNode> walk(String first) {
        List<JsonNode> items = new ArrayList<>();
        String next = first;
        while (next != null) {
            Answer page = get(next);
            assertThat(page.status()).as(next + ": " + page.body()).isEqualTo(200);
            page.json().get("data").forEach(items::add);
            next = page.json().get("next").isNull() ? null : page.json().get("next").asText();
            assertThat(items.size()).as("pages end").isLessThan(100);
        }
        return items;
    }

    private static List<Long> ids(List<JsonNode> items, String field) {
        return items.stream().map(item -> item.get(field).asLong()).toList();
    }

    @Test
    void usersAndWarehousesServeTheMirror() {
        patch("/api/syncall");

        JsonNode users = get("/api/users").json().get("data");
        assertThat(users).hasSize(1);
        assertThat(users.get(0).get("id").asLong()).isEqualTo(233);
        assertThat(users.get(0).get("username").asText()).isEqualTo("julio_user1");
        assertThat(users.get(0).get("warehouses").toString()).isEqualTo("[185,238,242,251,253]");
        assertThat(users.get(0).get("updated_at").asText()).matches(".*T.*\\.\\d{3}Z");

        assertThat(get("/api/users/233").json().at("/data/email").asText()).isEqualTo("Hilma.Leannon@wms.com");
        assertThat(get("/api/warehouses").json().get("data")).hasSize(5);
        JsonNode z5 = get("/api/warehouses/238").json().get("data");
        assertThat(z5.get("name").asText()).isEqualTo("z5");
        assertThat(z5.get("fax").isNull()).isTrue();
        assertThat(z5.has("raw")).isFalse();
    }

    @Test
    void aRequestBodyIsNotTakenForAnUpstreamAnswer(CapturedOutput output) {
        for (String path : List.of("/api/syncall", "/api/syncast")) {
            Answer answer = sendJson("PATCH", path, "{\"x\":");

            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(answer.contentType()).startsWith("application/json");
            assertThat(answer.json().at("/data/reason").asText()).isEqualTo("bad_request");
            assertThat(answer.json().at("/data/message").asText()).contains("body").doesNotContain("upstream");
        }
        assertThat(count("SELECT count(*) FROM sync_runs")).isZero();
        assertThat(output.getAll()).doesNotContain(" ERROR ");

        // a well-formed body is simply ignored: these calls take none
        assertThat(sendJson("PATCH", "/api/syncall", "{}").json().get("data").asText()).isEqualTo("6 upserted");
    }

    /** HEAD is answered as GET is, without a body, wherever GET is served (as OPTIONS says). */
    @Test
    void aHeadRequestIsAnsweredAsItsGetWithoutABody() {
        for (String path : List.of("/api/synlast", "/api/warehouses?limit=1", "/api/openapi.json")) {
            Answer head = send("HEAD", path);
            assertThat(head.status()).as(path).isEqualTo(200);
            assertThat(head.contentType()).as(path).startsWith("application/json");
            assertThat(head.body()).as(path).isEmpty();
        }
        assertThat(send("HEAD", "/api/users/424242").status()).isEqualTo(404);
        assertThat(send("HEAD", "/api/synlast?count=0").status()).isEqualTo(400);
        assertThat(send("HEAD", "/api/syncall").status()).isEqualTo(405);
        assertThat(count("SELECT count(*) FROM sync_runs")).isZero();
    }

    /** Spring's error page is not an endpoint: called directly, with any method, it answers as an unknown path does. */
    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "PUT", "PATCH", "DELETE"})
    void theErrorPageAnswersLikeAnUnknownPath(String method) {
        Answer unknown = send(method, "/never-served");
        Answer error = send(method, "/error");

        assertThat(error.status()).as(error.body()).isEqualTo(404).isEqualTo(unknown.status());
        assertThat(error.contentType()).startsWith("application/json");
        assertThat(error.json().at("/data/reason").asText()).isEqualTo(unknown.json().at("/data/reason").asText());
        assertThat(error.json().at("/data/message").asText()).isEqualTo("no such endpoint: /error");
    }

    @Test
    void probesThatAlwaysSendBasicAuthGetTheOpenPaths() {
        String basic = "Authorization: Basic " + java.util.Base64.getEncoder().encodeToString("probe:probe".getBytes());
        // a success just now: the health is UP however long this shared context has run without one
        jdbc.update("INSERT INTO sync_runs (trigger, started_at, finished_at, outcome) VALUES ('call', now(), now(), 'ok')");
        for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/api/synlast", "/api/openapi.json")) {
            assertThat(raw("GET", path, basic).status()).as(path).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "GET,    /api/synlast?count=-1,          400",
            "GET,    /api/synlast?count=abc,         400",
            "GET,    /api/synlast?count=0,           400",
            "GET,    /api/synlast?count=101,         400",
            "GET,    /api/synlast?count=99999999999999999999, 400",
            "GET,    /api/synlast?count=1.5,         400",
            "GET,    /api/synlast?count=%00,         400",
            "GET,    /api/synlast?count=%20,         400",
            "GET,    /api/synlast?count=1&count=2,   400",
            "GET,    /api/synlast?count=%EF%BC%91,   400",
            "GET,    /api/synlast?count=0x10,        400",
            "GET,    /api/users/abc,                 400",
            "GET,    /api/users/%00,                 400",
            "GET,    /api/users/1%3B%20DROP%20TABLE%20users, 400",
            "GET,    /api/users/-1,                  404",
            "GET,    /api/users/9223372036854775808, 400",
            "GET,    /api/users/99999999999999999999999, 400",
            "GET,    /api/users/424242,              404",
            "GET,    /api/warehouses/424242,         404",
            "GET,    /api/nothing-here,              404",
            "GET,    /api/users/5/nothing-here,      404",
            "GET,    /api/synlast/nothing-here,      404",
            "DELETE, /api/syncall,                   405",
            "GET,    /api/syncall,                   405",
            "POST,   /api/synlast,                   405",
    })
    void badInputGetsA4xxJsonThatSaysWhatIsWrong(String method, String path, int status) {
        Answer answer = send(method, path);

        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/json");
        JsonNode json = answer.json();
        assertThat(json.get("response").asText()).isEqualTo("error");
        assertThat(json.at("/data/reason").asText()).isNotBlank();
        assertThat(json.at("/data/message").asText()).isNotBlank();
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
