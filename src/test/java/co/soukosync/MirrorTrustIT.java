package co.soukosync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.camel.CamelContext;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What tells the people who rely on the mirror that they can: the change log of every run and
 * the history of every row, the completeness receipt, and the brake on mass unlinking.
 */
class MirrorTrustIT extends IntegrationSupport {

    @Autowired
    CamelContext camel;

    @AfterEach
    void dropFaults() {
        jdbc.execute("DROP TRIGGER IF EXISTS tamper ON warehouses");
    }

    @Test
    void everyRunThatWritesLogsWhatItChangedAndARunThatChangesNothingLogsNothing() {
        long first = patch("/api/syncall").json().get("run_id").asLong();
        long unchanged = patch("/api/syncall").json().get("run_id").asLong();
        ObjectNode answer = Upstream.warehousesAnswer();
        ((ObjectNode) Upstream.warehouses(answer).get(3)).put("name", "z13-renamed").put("priority", 7); // 251
        Upstream.warehouses(answer).remove(1); // 238
        Upstream.serveWarehouses(answer);
        long changed = patch("/api/syncall").json().get("run_id").asLong();

        JsonNode log = get("/api/runs/" + first + "/changes").json();
        assertThat(log.get("next").isNull()).isTrue();
        assertThat(log.get("data").get(0).toString()).isEqualTo("{\"entity\":\"users\",\"id\":233,\"change\":\"inserted\"}");
        assertThat(items(log, "warehouses", "inserted")).containsExactly(185L, 238L, 242L, 251L, 253L);
        assertThat(log.get("data").get(6).toString())
                .isEqualTo("{\"entity\":\"links\",\"user_id\":233,\"warehouse_id\":185,\"change\":\"added\"}");
        assertThat(log.get("data")).hasSize(11);

        assertThat(get("/api/runs/" + unchanged + "/changes").json().get("data")).isEmpty();

        JsonNode update = get("/api/runs/" + changed + "/changes").json().get("data");
        assertThat(update).hasSize(2);
        assertThat(update.get(0).get("entity").asText()).isEqualTo("warehouses");
        assertThat(update.get(0).get("id").asLong()).isEqualTo(251);
        assertThat(update.get(0).get("change").asText()).isEqualTo("updated");
        assertThat(update.get(0).at("/fields/name/from").asText()).isEqualTo("z13");
        assertThat(update.get(0).at("/fields/name/to").asText()).isEqualTo("z13-renamed");
        assertThat(update.get(0).at("/fields/priority/to").asInt()).isEqualTo(7);
        assertThat(update.get(0).get("fields").size()).isEqualTo(2);
        assertThat(update.get(1).toString())
                .isEqualTo("{\"entity\":\"links\",\"user_id\":233,\"warehouse_id\":238,\"change\":\"removed\"}");
    }

    @Test
    void aRunsChangesArePagedWithACursor() {
        long run = patch("/api/syncall").json().get("run_id").asLong();

        List<String> seen = new ArrayList<>();
        String next = "/api/runs/" + run + "/changes?limit=3";
        int pages = 0;
        while (next != null) {
            JsonNode page = get(next).json();
            assertThat(page.get("data").size()).isLessThanOrEqualTo(3);
            page.get("data").forEach(item -> seen.add(item.toString()));
            next = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        }
        assertThat(pages).isEqualTo(4);
        assertThat(seen).hasSize(11).doesNotHaveDuplicates();
        assertThat(get("/api/runs/" + run + "/changes?after=nonsense").status()).isEqualTo(400);
    }

    @Test
    void aRunIsServedAsSynlastShowsItAndAnUnknownRunIs404() {
        JsonNode answer = patch("/api/syncall").json();

        Answer run = get("/api/runs/" + answer.get("run_id").asLong());
        assertThat(run.json()).isEqualTo(get("/api/synlast?count=1").json().get("data").get(0));
        assertThat(run.json().at("/verified/warehouses").asLong()).isEqualTo(5);
        assertThat(run.json().at("/verified/links").asLong()).isEqualTo(5);

        for (String path : List.of("/api/runs/999", "/api/runs/999/changes")) {
            Answer unknown = get(path);
            assertThat(unknown.status()).as(path).isEqualTo(404);
            assertThat(unknown.json().at("/data/reason").asText()).isEqualTo("not_found");
        }
    }

    @Test
    void aRunInProgressIsAnsweredAsRunning() {
        long id = jdbc.queryForObject("INSERT INTO sync_runs (trigger, started_at, outcome) "
                + "VALUES ('cast', now(), 'running') RETURNING id", Long.class);

        JsonNode run = get("/api/runs/" + id).json();

        assertThat(run.get("response").asText()).isEqualTo("running");
        assertThat(run.get("data").asText()).isEqualTo("the run is in progress");
        assertThat(run.get("trigger").asText()).isEqualTo("cast");
        assertThat(run.get("date").asText()).endsWith("Z");
        assertThat(run.has("counts")).isFalse();
    }

    @Test
    void aRowsHistoryListsTheRunsThatInsertedAndUpdatedIt() {
        long first = patch("/api/syncall").json().get("run_id").asLong();
        ObjectNode answer = Upstream.warehousesAnswer();
        ((ObjectNode) Upstream.warehouses(answer).get(3)).put("name", "z13-renamed");
        Upstream.serveWarehouses(answer);
        long renamed = patch("/api/syncall").json().get("run_id").asLong();

        JsonNode history = get("/api/warehouses/251/history").json().get("data");
        assertThat(history).hasSize(2);
        assertThat(history.get(0).get("run_id").asLong()).isEqualTo(first);
        assertThat(history.get(0).get("change").asText()).isEqualTo("inserted");
        assertThat(history.get(0).get("date").asText()).endsWith("Z");
        assertThat(history.get(1).get("run_id").asLong()).isEqualTo(renamed);
        assertThat(history.get(1).at("/fields/name/to").asText()).isEqualTo("z13-renamed");
        assertThat(get("/api/users/233/history").json().get("data")).hasSize(1);
        assertThat(get("/api/warehouses/424242/history").status()).isEqualTo(404);
    }

    @Test
    void aDryRunLogsNothingButAnswersWhatItWouldChange() {
        JsonNode dry = patch("/api/syncall?dry_run=true").json();

        assertThat(dry.at("/changes/data")).hasSize(11);
        assertThat(dry.at("/changes/more").asBoolean()).isFalse();
        assertThat(dry.at("/changes/data/1/change").asText()).isEqualTo("inserted");
        assertThat(count("SELECT count(*) FROM sync_change_sets")).isZero();
        assertThat(count("SELECT count(*) FROM sync_updates")).isZero();
        assertThat(get("/api/runs/" + dry.get("run_id").asLong() + "/changes").json().get("data")).isEmpty();
    }

    @Test
    void aWarehouseAlteredWhileItIsWrittenFailsTheReceiptAndNothingOfTheRunStays() {
        patch("/api/syncall");
        var before = mirror();
        ObjectNode answer = Upstream.warehousesAnswer();
        Upstream.warehouses(answer).forEach(w -> ((ObjectNode) w).put("priority", 1));
        Upstream.serveWarehouses(answer);
        // something between the service and its data (a trigger, a bad migration) changes one column
        jdbc.execute("CREATE OR REPLACE FUNCTION tamper() RETURNS trigger LANGUAGE plpgsql AS $$ "
                + "BEGIN IF NEW.id = 242 THEN NEW.city := 'elsewhere'; END IF; RETURN NEW; END $$");
        jdbc.execute("CREATE TRIGGER tamper BEFORE INSERT OR UPDATE ON warehouses FOR EACH ROW EXECUTE FUNCTION tamper()");

        JsonNode failed = patch("/api/syncall").json();

        assertThat(failed.at("/data/reason").asText()).isEqualTo("mismatch");
        assertThat(failed.at("/data/stage").asText()).isEqualTo("verify");
        assertThat(mirror()).isEqualTo(before);
        assertThat(count("SELECT count(*) FROM sync_updates WHERE run_id = ?", failed.get("run_id").asLong())).isZero();
        assertThat(rows("SELECT outcome, error_reason, error_stage FROM sync_runs WHERE id = ?", failed.get("run_id").asLong()).get(0))
                .containsEntry("outcome", "error").containsEntry("error_reason", "mismatch").containsEntry("error_stage", "verify");
    }

    @Test
    void theBrakeHoldsAnEmptyListForAUserWithManyLinksUntilForced() {
        ObjectNode many = Upstream.warehousesAnswer();
        ArrayNode list = Upstream.warehouses(many);
        for (int id = 1000; id < 1035; id++) {
            list.addObject().put("id", id).put("name", "w" + id).put("line1", "l");
        }
        Upstream.serveWarehouses(many);
        patch("/api/syncall");
        assertThat(count("SELECT count(*) FROM users_warehouses WHERE user_id = 233")).isEqualTo(40);
        var before = mirror();
        ObjectNode empty = Upstream.warehousesAnswer();
        Upstream.warehouses(empty).removeAll();
        Upstream.serveWarehouses(empty);

        JsonNode held = patch("/api/syncall").json();

        assertThat(held.at("/data/reason").asText()).isEqualTo("suspicious_shrink");
        assertThat(held.at("/data/stage").asText()).isEqualTo("verify");
        assertThat(held.at("/data/message").asText()).contains("40 of the user's 40 links").contains("force=true");
        assertThat(mirror()).isEqualTo(before);

        JsonNode dry = patch("/api/syncall?dry_run=true").json();
        assertThat(dry.get("response").asText()).isEqualTo("ok");
        assertThat(dry.at("/warnings/0/reason").asText()).isEqualTo("suspicious_shrink");
        assertThat(mirror()).isEqualTo(before);

        JsonNode forced = patch("/api/syncall?force=true").json();
        assertThat(forced.get("response").asText()).isEqualTo("ok");
        assertThat(forced.get("forced").asBoolean()).isTrue();
        assertThat(forced.at("/counts/links/removed").asLong()).isEqualTo(40);
        assertThat(count("SELECT count(*) FROM users_warehouses WHERE user_id = 233")).isZero();

        // once: the next run with the same answer has nothing left to remove, and a shrink below the threshold passes
        assertThat(patch("/api/syncall").json().get("response").asText()).isEqualTo("ok");
    }

    @Test
    void theBrakeStopsAWalkDownInStepsUnderTheLimitAndAForcedRunIsTheNewReference() {
        // 100 -> 60 -> 36 -> 22 -> 13 -> 8 -> 0: each step removes less than half of the links
        // the user has; measured against the most links of the last 24 h, the walk is stopped
        assertThat(syncWith(100).get("response").asText()).isEqualTo("ok");
        assertThat(syncWith(60).get("response").asText()).isEqualTo("ok");
        var before = mirror();

        JsonNode held = syncWith(36);

        assertThat(held.at("/data/reason").asText()).as(held.toString()).isEqualTo("suspicious_shrink");
        assertThat(held.at("/data/stage").asText()).isEqualTo("verify");
        assertThat(held.at("/data/message").asText())
                .contains("36 of the 100 links the user had within the last 24 h")
                .contains("PATCH /api/syncall?force=true");
        assertThat(mirror()).isEqualTo(before);
        assertThat(links()).isEqualTo(60);

        // a dry run only warns
        Upstream.serveWarehouses(answerWith(36));
        JsonNode dry = patch("/api/syncall?dry_run=true").json();
        assertThat(dry.get("response").asText()).isEqualTo("ok");
        assertThat(dry.at("/warnings/0/reason").asText()).isEqualTo("suspicious_shrink");
        assertThat(dry.at("/warnings/0/message").asText()).contains("of the 100 links");
        assertThat(mirror()).isEqualTo(before);

        // forced: applied, and the forced count is what later runs are measured against
        JsonNode forced = patch("/api/syncall?force=true").json();
        assertThat(forced.get("response").asText()).isEqualTo("ok");
        assertThat(forced.get("forced").asBoolean()).isTrue();
        assertThat(links()).isEqualTo(36);

        assertThat(syncWith(22).get("response").asText()).as("22 of 36: within the limit").isEqualTo("ok");
        JsonNode again = syncWith(13);
        assertThat(again.at("/data/reason").asText()).isEqualTo("suspicious_shrink");
        assertThat(again.at("/data/message").asText()).contains("13 of the 36 links");
        assertThat(links()).isEqualTo(22);
    }

    @Test
    void theBrakesMinimumIsTheReferencesNotTheCurrentCount() {
        assertThat(syncWith(12).get("response").asText()).isEqualTo("ok");
        assertThat(syncWith(8).get("response").asText()).isEqualTo("ok");

        // 8 links now, under the 10 the brake looks at, but 12 within the window
        JsonNode held = syncWith(0);

        assertThat(held.at("/data/reason").asText()).as(held.toString()).isEqualTo("suspicious_shrink");
        assertThat(held.at("/data/message").asText()).contains("0 of the 12 links");
        assertThat(links()).isEqualTo(8);
    }

    @Test
    void aShrinkWithinTheLimitOrOfAFewLinksIsNotBraked() {
        patch("/api/syncall"); // 5 links: below the 10 the brake looks at
        ObjectNode empty = Upstream.warehousesAnswer();
        Upstream.warehouses(empty).removeAll();
        Upstream.serveWarehouses(empty);

        assertThat(patch("/api/syncall").json().at("/counts/links/removed").asLong()).isEqualTo(5);
    }

    @Test
    void changeLogsOlderThanTheRetentionAreDeletedOutsideAnyRun() {
        long old = patch("/api/syncall").json().get("run_id").asLong();
        jdbc.update("UPDATE sync_runs SET started_at = now() - interval '91 days' WHERE id = ?", old);
        ObjectNode answer = Upstream.warehousesAnswer();
        ((ObjectNode) Upstream.warehouses(answer).get(0)).put("name", "newer");
        Upstream.serveWarehouses(answer);
        long recent = patch("/api/syncall").json().get("run_id").asLong();

        camel.createFluentProducerTemplate().to("direct:changes-retention").request();

        assertThat(count("SELECT count(*) FROM sync_change_sets WHERE run_id = ?", old)).isZero();
        assertThat(count("SELECT count(*) FROM sync_updates WHERE run_id = ?", recent)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM sync_runs WHERE id = ?", old)).isEqualTo(1);
    }

    /**
     * A user of thousands of warehouses whose links change from run to run: the change log holds
     * the link ids added and removed, never the user's whole list, and no answer grows with it.
     */
    @Test
    void aUserWithThousandsOfLinksLogsLinkChangesAsIdsAndEveryAnswerStaysSmall() {
        long first = syncLinks(100_000, 103_000, "Hilma.Leannon@wms.com", "a");
        long swapped = syncLinks(100_010, 103_010, "Hilma.Leannon@wms.com", "b");
        long renamed = syncLinks(100_020, 103_020, "hilma@example.com", "c");

        assertThat(count("SELECT count(*) FROM sync_updates WHERE fields -> 'warehouses' IS NOT NULL")).isZero();
        assertThat(count("SELECT count(*) FROM users WHERE raw -> 'warehouses' IS NOT NULL")).isZero();
        JsonNode swap = get("/api/runs/" + swapped).json();
        assertThat(swap.at("/counts/users/updated").asLong()).as("links are not the user's fields").isZero();
        assertThat(swap.at("/counts/links/added").asLong()).isEqualTo(10);
        assertThat(swap.at("/counts/links/removed").asLong()).isEqualTo(10);
        List<JsonNode> swapLog = pages("/api/runs/" + swapped + "/changes?limit=7");
        assertThat(swapLog).noneMatch(item -> item.get("entity").asText().equals("users"));
        assertThat(swapLog.stream().filter(item -> item.get("entity").asText().equals("links"))
                .map(item -> item.get("change").asText() + " " + item.get("warehouse_id").asLong()).toList())
                .containsExactlyInAnyOrderElementsOf(java.util.stream.Stream.concat(
                        LongStream.range(103_000, 103_010).mapToObj(id -> "added " + id),
                        LongStream.range(100_000, 100_010).mapToObj(id -> "removed " + id)).toList());
        JsonNode userUpdate = get("/api/runs/" + renamed + "/changes?limit=1").json().at("/data/0");
        assertThat(userUpdate.get("entity").asText()).isEqualTo("users");
        assertThat(userUpdate.get("fields").toString()).isEqualTo("{\"email\":{\"from\":\"Hilma.Leannon@wms.com\",\"to\":\"hilma@example.com\"}}");

        // a page of one change is small whatever the number of links
        for (long run : List.of(first, swapped, renamed)) {
            Answer one = get("/api/runs/" + run + "/changes?limit=1");
            assertThat(one.json().get("data")).hasSize(1);
            assertThat(bytes(one)).as("run " + run + ": " + one.body()).isLessThan(1_000);
        }

        // histories come a page at a time
        Answer userHistory = get("/api/users/233/history?limit=1");
        assertThat(userHistory.json().get("data")).hasSize(1);
        assertThat(userHistory.json().get("next").asText()).isEqualTo("/api/users/233/history?limit=1&after=" + first);
        assertThat(pages("/api/users/233/history?limit=1")).extracting(item -> item.get("run_id").asLong()).containsExactly(first, renamed);
        assertThat(bytes(get("/api/users/233/history"))).isLessThan(1_000);
        assertThat(get("/api/users/233/history").json().get("next").isNull()).isTrue();
        assertThat(pages("/api/warehouses/102000/history?limit=1")).extracting(item -> item.get("run_id").asLong())
                .containsExactly(first, swapped, renamed);
        assertThat(get("/api/warehouses/102000/history?limit=1001").status()).isEqualTo(400);
        assertThat(get("/api/users/233/history?after=x").status()).isEqualTo(400);

        // the user holds its first 1,000 warehouse ids, their count, and where the others are
        Answer user = get("/api/users/233");
        JsonNode data = user.json().get("data");
        assertThat(bytes(user)).as("GET /api/users/233").isLessThan(10_000);
        assertThat(data.get("warehouses")).hasSize(1_000);
        assertThat(data.at("/warehouses/0").asLong()).isEqualTo(100_020);
        assertThat(data.at("/warehouses/999").asLong()).isEqualTo(101_019);
        assertThat(data.get("warehouse_count").asLong()).isEqualTo(3_000);
        assertThat(data.get("warehouses_next").asText()).isEqualTo("/api/users/233/warehouses?limit=1000&after=101019");
        assertThat(bytes(get("/api/users"))).as("GET /api/users").isLessThan(10_000);
        assertThat(get("/api/users").json().at("/data/0")).isEqualTo(data);
        List<Long> linked = new ArrayList<>();
        pages("/api/users/233/warehouses").forEach(id -> linked.add(id.asLong()));
        assertThat(linked).isEqualTo(LongStream.range(100_020, 103_020).boxed().toList());
        Answer rest = get(data.get("warehouses_next").asText());
        assertThat(rest.json().get("data")).hasSize(1_000);
        assertThat(rest.json().at("/data/0").asLong()).isEqualTo(101_020);
        assertThat(get("/api/users/424242/warehouses").status()).isEqualTo(404);
    }

    @Test
    void aUserOfAFewLinksStillHoldsAllOfThem() {
        patch("/api/syncall");

        JsonNode user = get("/api/users/233").json().get("data");

        assertThat(user.get("warehouses").toString()).isEqualTo("[185,238,242,251,253]");
        assertThat(user.get("warehouse_count").asLong()).isEqualTo(5);
        assertThat(user.get("warehouses_next").isNull()).isTrue();
        assertThat(get("/api/users/233/warehouses").json().toString()).isEqualTo("{\"data\":[185,238,242,251,253],\"next\":null}");
    }

    /**
     * V8 on a database written before it: the users' rows and their logged changes lose the
     * upstream's list of warehouse ids (a run that changed nothing else did not update the user).
     */
    @Test
    void theMigrationTakesTheWarehouseListsOutOfStoredUsersAndTheirLoggedChanges() {
        String schema = "before_v8";
        try {
            Flyway.configure().dataSource(jdbc.getDataSource()).schemas(schema).target("7").load().migrate();
            jdbc.update("INSERT INTO before_v8.users (id, username, email, employee_id, first_name, last_name, raw) "
                    + "VALUES (233, 'u', 'e', 'x', 'f', 'l', '{\"id\":233,\"warehouses\":[1,2,3],\"tenant\":{\"id\":1}}')");
            jdbc.update("INSERT INTO before_v8.sync_runs (id, trigger, started_at, finished_at, outcome, users_updated, users_unchanged) "
                    + "VALUES (1, 'call', now(), now(), 'ok', 1, 0), (2, 'call', now(), now(), 'ok', 1, 0), (3, 'call', now(), now(), 'ok', 0, 1)");
            jdbc.update("INSERT INTO before_v8.sync_updates (run_id, entity, id, fields) VALUES "
                    + "(1, 'users', 233, '{\"warehouses\":{\"from\":[1,2],\"to\":[1,2,3]}}'), "
                    + "(2, 'users', 233, '{\"warehouses\":{\"from\":[1],\"to\":[1,2]},\"email\":{\"from\":\"a\",\"to\":\"e\"}}'), "
                    + "(2, 'warehouses', 1, '{\"warehouses\":{\"from\":\"kept\",\"to\":\"as is\"}}')");

            Flyway.configure().dataSource(jdbc.getDataSource()).schemas(schema).load().migrate();

            assertThat(jdbc.queryForObject("SELECT raw::text FROM before_v8.users", String.class))
                    .isEqualTo("{\"id\": 233, \"tenant\": {\"id\": 1}}");
            assertThat(rows("SELECT run_id, entity, fields::text AS fields FROM before_v8.sync_updates ORDER BY run_id, entity"))
                    .containsExactly(
                            java.util.Map.of("run_id", 2L, "entity", "users", "fields", "{\"email\": {\"to\": \"e\", \"from\": \"a\"}}"),
                            java.util.Map.of("run_id", 2L, "entity", "warehouses",
                                    "fields", "{\"warehouses\": {\"to\": \"as is\", \"from\": \"kept\"}}"));
            assertThat(rows("SELECT id, users_updated, users_unchanged FROM before_v8.sync_runs ORDER BY id")).containsExactly(
                    java.util.Map.of("id", 1L, "users_updated", 0, "users_unchanged", 1),
                    java.util.Map.of("id", 2L, "users_updated", 1, "users_unchanged", 0),
                    java.util.Map.of("id", 3L, "users_updated", 0, "users_unchanged", 1));
        } finally {
            jdbc.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
        assertThat(jdbc.queryForObject("SHOW search_path", String.class)).doesNotContain(schema);
    }

    /**
     * A sync of the user 233 linked to the warehouses from..to-1 (the user's own list of ids says
     * the same), with this email; warehouse 102000 is named after the run's letter.
     */
    private long syncLinks(long from, long to, String email, String letter) {
        ObjectNode user;
        try {
            user = (ObjectNode) JSON.readTree(Upstream.fixture("users_me.json"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        user.put("email", email);
        ArrayNode ids = user.putArray("warehouses");
        ObjectNode answer = Upstream.warehousesAnswer();
        ArrayNode list = Upstream.warehouses(answer);
        list.removeAll();
        for (long id = from; id < to; id++) {
            ids.add(id);
            list.addObject().put("id", id).put("name", id == 102_000 ? "w-" + letter : "w" + id).put("line1", "l");
        }
        Upstream.SERVER.stubFor(WireMock.get(WireMock.urlPathEqualTo(Upstream.ME)).atPriority(1)
                .willReturn(Upstream.json(user.toString())));
        Upstream.serveWarehouses(answer);
        JsonNode run = patch("/api/syncall").json();
        assertThat(run.get("response").asText()).as(run.toString()).isEqualTo("ok");
        return run.get("run_id").asLong();
    }

    /** Every item of every page, following the "next" links from this first page. */
    private List<JsonNode> pages(String first) {
        List<JsonNode> items = new ArrayList<>();
        String next = first;
        for (int page = 0; next != null; page++) {
            assertThat(page).as("pages end").isLessThan(100);
            Answer answer = get(next);
            assertThat(answer.status()).as(next + ": " + answer.body()).isEqualTo(200);
            answer.json().get("data").forEach(items::add);
            next = answer.json().get("next").isNull() ? null : answer.json().get("next").asText();
        }
        return items;
    }

    private static int bytes(Answer answer) {
        return answer.body().getBytes(StandardCharsets.UTF_8).length;
    }

    /** A sync with an upstream that lists n warehouses for the user (ids 1000 on). */
    private JsonNode syncWith(int n) {
        Upstream.serveWarehouses(answerWith(n));
        return patch("/api/syncall").json();
    }

    private static ObjectNode answerWith(int n) {
        ObjectNode answer = Upstream.warehousesAnswer();
        ArrayNode list = Upstream.warehouses(answer);
        list.removeAll();
        for (int id = 1000; id < 1000 + n; id++) {
            list.addObject().put("id", id).put("name", "w" + id).put("line1", "l");
        }
        return answer;
    }

    private long links() {
        return count("SELECT count(*) FROM users_warehouses WHERE user_id = 233");
    }

    private static List<Long> items(JsonNode page, String entity, String change) {
        List<Long> ids = new ArrayList<>();
        page.get("data").forEach(item -> {
            if (entity.equals(item.get("entity").asText()) && change.equals(item.get("change").asText())) {
                ids.add(item.get("id").asLong());
            }
        });
        return ids;
    }
}
