package co.soukosync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import co.soukosync.history.ChangesHead;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.camel.CamelContext;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The change feed, GET /api/changes: every change of every committed run, numbered (seq) in commit
 * order, paged with "next", 410 past retention, and the long poll.
 */
class ChangesFeedIT extends IntegrationSupport {

    @Autowired
    CamelContext camel;

    @Autowired
    ChangesHead changesHead;

    @AfterEach
    void dropFaults() {
        jdbc.execute("DROP TRIGGER IF EXISTS tamper ON warehouses");
    }

    @Test
    void everyCommittedChangeIsInTheFeedInCommitOrderAndDryOrFailedRunsNeverAre() throws Exception {
        long start = lastSeq();
        long first = patch("/api/syncall").json().get("run_id").asLong();
        Object row = feedRow();
        long unchanged = patch("/api/syncall").json().get("run_id").asLong();
        assertThat(feedRow()).as("a run that changes nothing does not write the feed's counter").isEqualTo(row);
        // a run that changes something of each kind: the user, warehouses inserted and updated, links added and removed
        ObjectNode answer = Upstream.warehousesAnswer();
        ((ObjectNode) Upstream.warehouses(answer).get(3)).put("name", "z13-renamed").put("priority", 7); // 251
        Upstream.warehouses(answer).remove(1); // 238
        Upstream.warehouses(answer).add(((ObjectNode) Upstream.warehouses(answer).get(0).deepCopy()).put("id", 777));
        Upstream.serveWarehouses(answer);
        ObjectNode user = (ObjectNode) JSON.readTree(Upstream.fixture("users_me.json"));
        Upstream.SERVER.stubFor(WireMock.get(WireMock.urlPathEqualTo(Upstream.ME)).atPriority(1)
                .willReturn(Upstream.json(user.put("email", "new@example.com").toString())));
        JsonNode dry = patch("/api/syncall?dry_run=true").json();
        assertThat(dry.at("/changes/data")).hasSize(5);
        failedRunThatWouldChange(242);
        Upstream.serveWarehouses(answer);
        long changed = patch("/api/syncall").json().get("run_id").asLong();

        List<JsonNode> feed = all("/api/changes?after=" + start);

        assertThat(feed).extracting(item -> item.get("seq").asLong())
                .containsExactlyElementsOf(LongStream.rangeClosed(start + 1, start + 16).boxed().toList());
        assertThat(lastSeq()).isEqualTo(start + 16);
        assertThat(feed).extracting(item -> item.get("run_id").asLong())
                .containsExactlyElementsOf(concat(List.of(first), 11, List.of(changed), 5));
        assertThat(feed).noneMatch(item -> item.get("run_id").asLong() == unchanged);
        assertThat(feed).extracting(item -> item.get("entity").asText() + " " + item.get("change").asText() + " "
                        + (item.has("id") ? item.get("id") : item.get("warehouse_id")))
                .containsExactly("users inserted 233",
                        "warehouses inserted 185", "warehouses inserted 238", "warehouses inserted 242",
                        "warehouses inserted 251", "warehouses inserted 253",
                        "links added 185", "links added 238", "links added 242", "links added 251", "links added 253",
                        "users updated 233", "warehouses inserted 777", "warehouses updated 251", "links added 777",
                        "links removed 238");
        JsonNode firstRun = get("/api/runs/" + first).json();
        assertThat(feed.get(0).get("date").asText()).isEqualTo(firstRun.get("date").asText());
        // the shapes of /api/runs/{id}/changes, with seq, run_id and date (and an insert's fields)
        List<JsonNode> runChanges = new ArrayList<>();
        get("/api/runs/" + first + "/changes").json().get("data").forEach(runChanges::add);
        get("/api/runs/" + changed + "/changes").json().get("data").forEach(runChanges::add);
        assertThat(feed).extracting(item -> {
            ObjectNode shape = item.deepCopy();
            shape.remove(List.of("seq", "run_id", "date"));
            if (shape.get("change").asText().equals("inserted")) {
                shape.remove("fields");
            }
            return (JsonNode) shape;
        }).containsExactlyInAnyOrderElementsOf(runChanges);
        assertThat(feed.get(11).get("fields").toString())
                .isEqualTo("{\"email\":{\"from\":\"Hilma.Leannon@wms.com\",\"to\":\"new@example.com\"}}");
        assertThat(feed.get(13).get("fields").toString())
                .isEqualTo("{\"name\":{\"from\":\"z13\",\"to\":\"z13-renamed\"},\"priority\":{\"from\":"
                        + get("/api/runs/" + changed + "/changes").json().at("/data/1/fields/priority/from") + ",\"to\":7}}");
        assertThat(feed.get(15).toString()).isEqualTo("{\"seq\":" + (start + 16) + ",\"run_id\":" + changed + ",\"date\":"
                + get("/api/runs/" + changed).json().get("date") + ",\"entity\":\"links\",\"user_id\":233,\"warehouse_id\":238,"
                + "\"change\":\"removed\"}");
        assertThat(rows("SELECT ids::text AS ids FROM sync_change_sets WHERE run_id = ? ORDER BY first_seq", first))
                .extracting(r -> r.get("ids")).containsExactly("{233}", "{185,238,242,251,253}", "{185,238,242,251,253}");
    }

    @Test
    void anInsertCarriesTheFieldsItWasInsertedWithAfterLaterUpdates() {
        long start = lastSeq();
        patch("/api/syncall");
        JsonNode inserted = get("/api/warehouses/251").json().get("data");
        JsonNode user = get("/api/users/233").json().get("data");
        renameAndSync("second name", 3);
        renameAndSync("third name", 4);
        assertThat(get("/api/warehouses/251").json().at("/data/name").asText()).isEqualTo("third name");

        List<JsonNode> feed = all("/api/changes?after=" + start);

        JsonNode insert = feed.stream().filter(item -> item.get("change").asText().equals("inserted")
                && item.get("id").asLong() == 251).findFirst().orElseThrow();
        JsonNode fields = insert.get("fields");
        for (String typed : List.of("name", "line1", "line2", "site", "city", "state", "zip_code", "country", "fax", "phone",
                "tenant_id", "active", "priority")) {
            assertThat(fields.get(typed)).as(typed).isEqualTo(inserted.get(typed));
        }
        assertThat(fields.get("name").asText()).isEqualTo("z13");
        // the upstream object's other keys are fields too, as the updates name them
        assertThat(fields.get("id").asLong()).isEqualTo(251);
        assertThat(feed).filteredOn(item -> item.get("change").asText().equals("updated"))
                .extracting(item -> item.at("/fields/name/from").asText() + ">" + item.at("/fields/name/to").asText())
                .containsExactly("z13>second name", "second name>third name");
        JsonNode userInsert = feed.get(0).get("fields");
        assertThat(userInsert.get("username").asText()).isEqualTo(user.get("username").asText());
        assertThat(userInsert.get("email").asText()).isEqualTo(user.get("email").asText());
        assertThat(userInsert.has("warehouses")).as("links are not the user's fields").isFalse();
    }

    @Test
    void nextWalksEveryPageAndStaysAtTheEndOnceThere() {
        long start = lastSeq();
        patch("/api/syncall");

        List<JsonNode> seen = new ArrayList<>();
        String next = "/api/changes?after=" + start + "&limit=3";
        for (int page = 0; page < 4; page++) {
            JsonNode answer = get(next).json();
            assertThat(answer.get("data").size()).isEqualTo(page < 3 ? 3 : 2);
            answer.get("data").forEach(seen::add);
            next = answer.get("next").asText();
            assertThat(next).isEqualTo("/api/changes?after=" + seen.get(seen.size() - 1).get("seq").asLong() + "&limit=3");
        }
        JsonNode end = get(next).json();
        assertThat(end.get("data")).isEmpty();
        assertThat(end.get("next").asText()).isEqualTo(next);
        assertThat(seen).extracting(item -> item.get("seq").asLong())
                .containsExactlyElementsOf(LongStream.rangeClosed(start + 1, start + 11).boxed().toList());
        // in the middle of a set of ids: the items after the cursor
        assertThat(get("/api/changes?after=" + (start + 3) + "&limit=2").json().get("data"))
                .extracting(item -> item.get("id").asLong()).containsExactly(242L, 251L);
        assertThat(get("/api/changes?limit=1000").status()).isEqualTo(200);
        // a cursor past any seq: nothing, however large
        assertThat(get("/api/changes?after=9223372036854775807&limit=1000").json().get("data")).isEmpty();
    }

    @Test
    void aCursorOlderThanWhatRetentionKeptIsGoneAndWithoutOneTheFeedStartsAtTheOldestKept() {
        long start = lastSeq();
        long old = patch("/api/syncall").json().get("run_id").asLong();
        jdbc.update("UPDATE sync_runs SET started_at = now() - interval '91 days' WHERE id = ?", old);
        renameAndSync("newer", 1);
        camel.createFluentProducerTemplate().to("direct:changes-retention").request();
        assertThat(count("SELECT purged_through FROM sync_feed")).isEqualTo(start + 11);

        Answer gone = get("/api/changes?after=" + start + "&limit=5");

        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.json().at("/data/reason").asText()).isEqualTo("gone");
        assertThat(gone.json().at("/data/message").asText()).contains("read the mirror again").contains("GET /api/warehouses")
                .contains("after seq " + (start + 12));
        assertThat(gone.json().at("/data/next").asText()).isEqualTo("/api/changes?after=" + (start + 12) + "&limit=5");
        assertThat(get("/api/changes?after=" + (start + 10)).status()).isEqualTo(410);
        JsonNode kept = get("/api/changes").json();
        assertThat(kept.get("data")).extracting(item -> item.get("seq").asLong()).containsExactly(start + 12);
        assertThat(get("/api/changes?after=" + (start + 11)).json()).isEqualTo(kept);
    }

    @Test
    void aMalformedCursorOrBoundIsRefused() {
        for (String query : List.of("after=abc", "after=-1", "after=1.5", "after=99999999999999999999", "limit=0",
                "limit=1001", "wait=61", "wait=-1", "wait=x")) {
            Answer answer = get("/api/changes?" + query);
            assertThat(answer.status()).as(query).isEqualTo(400);
            assertThat(answer.json().at("/data/reason").asText()).as(query).isEqualTo("bad_request");
        }
    }

    @Test
    void aLongPollAnswersAsSoonAsARunCommits() throws Exception {
        patch("/api/syncall");
        long head = lastSeq();
        long began = System.nanoTime();
        CompletableFuture<Answer> poll = CompletableFuture.supplyAsync(() -> get("/api/changes?after=" + head + "&wait=30"));
        await().atMost(Duration.ofSeconds(10)).until(() -> changesHead.waiting() == 1);
        assertThat(poll).isNotDone();

        renameAndSync("while polled", 1);

        Answer answer = poll.get(10, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(10));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("data")).extracting(item -> item.get("seq").asLong()).containsExactly(head + 1);
        assertThat(answer.json().at("/data/0/fields/name/to").asText()).isEqualTo("while polled");
        assertThat(answer.json().get("next").asText()).isEqualTo("/api/changes?after=" + (head + 1) + "&limit=100&wait=30");
        assertThat(changesHead.waiting()).isZero();
    }

    @Test
    void aLongPollAnswersEmptyWhenNothingCommitsInTime() {
        patch("/api/syncall");
        long head = lastSeq();

        long began = System.nanoTime();
        JsonNode answer = get("/api/changes?after=" + head + "&wait=1").json();

        assertThat(Duration.ofNanos(System.nanoTime() - began)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertThat(answer.get("data")).isEmpty();
        assertThat(answer.get("next").asText()).isEqualTo("/api/changes?after=" + head + "&limit=100&wait=1");
    }

    /**
     * V10 on a database written before it: the runs' logged changes are numbered in run order,
     * each run users, warehouses, links (inserted before updated, added before removed, by id),
     * their sets of ids sorted, and the counter set to the last.
     */
    @Test
    void theMigrationNumbersTheChangesLoggedBeforeIt() {
        String schema = "before_v10";
        try {
            Flyway.configure().dataSource(jdbc.getDataSource()).schemas(schema).target("9").load().migrate();
            jdbc.update("INSERT INTO before_v10.sync_runs (id, trigger, started_at, finished_at, outcome) "
                    + "VALUES (1, 'call', now(), now(), 'ok'), (2, 'call', now(), now(), 'ok')");
            jdbc.update("INSERT INTO before_v10.sync_change_sets (run_id, entity, change, user_id, ids) VALUES "
                    + "(2, 'links', 'removed', 233, '{9,7}'), (1, 'links', 'added', 233, '{9,5,7}'), "
                    + "(1, 'warehouses', 'inserted', NULL, '{9,5,7}'), (1, 'users', 'inserted', NULL, '{233}')");
            jdbc.update("INSERT INTO before_v10.sync_updates (run_id, entity, id, fields) VALUES "
                    + "(2, 'warehouses', 9, '{}'), (2, 'warehouses', 5, '{}'), (2, 'users', 233, '{}'), (1, 'warehouses', 5, '{}')");

            Flyway.configure().dataSource(jdbc.getDataSource()).schemas(schema).load().migrate();

            assertThat(rows("SELECT run_id, entity, change, ids::text AS ids, first_seq FROM before_v10.sync_change_sets ORDER BY first_seq"))
                    .containsExactly(
                            Map.of("run_id", 1L, "entity", "users", "change", "inserted", "ids", "{233}", "first_seq", 1L),
                            Map.of("run_id", 1L, "entity", "warehouses", "change", "inserted", "ids", "{5,7,9}", "first_seq", 2L),
                            Map.of("run_id", 1L, "entity", "links", "change", "added", "ids", "{5,7,9}", "first_seq", 6L),
                            Map.of("run_id", 2L, "entity", "links", "change", "removed", "ids", "{7,9}", "first_seq", 12L));
            assertThat(rows("SELECT run_id, entity, id, seq FROM before_v10.sync_updates ORDER BY seq")).containsExactly(
                    Map.of("run_id", 1L, "entity", "warehouses", "id", 5L, "seq", 5L),
                    Map.of("run_id", 2L, "entity", "users", "id", 233L, "seq", 9L),
                    Map.of("run_id", 2L, "entity", "warehouses", "id", 5L, "seq", 10L),
                    Map.of("run_id", 2L, "entity", "warehouses", "id", 9L, "seq", 11L));
            assertThat(rows("SELECT last_seq, purged_through FROM before_v10.sync_feed"))
                    .containsExactly(Map.of("last_seq", 13L, "purged_through", 0L));
        } finally {
            jdbc.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    /** A run that would update this warehouse, failed by the receipt (something alters a column as it is written). */
    private void failedRunThatWouldChange(long id) {
        ObjectNode answer = Upstream.warehousesAnswer();
        Upstream.warehouses(answer).forEach(w -> ((ObjectNode) w).put("priority", 1));
        Upstream.serveWarehouses(answer);
        jdbc.execute("CREATE OR REPLACE FUNCTION tamper() RETURNS trigger LANGUAGE plpgsql AS $$ "
                + "BEGIN IF NEW.id = " + id + " THEN NEW.city := 'elsewhere'; END IF; RETURN NEW; END $$");
        jdbc.execute("CREATE TRIGGER tamper BEFORE INSERT OR UPDATE ON warehouses FOR EACH ROW EXECUTE FUNCTION tamper()");
        Object row = feedRow();
        assertThat(patch("/api/syncall").json().at("/data/reason").asText()).isEqualTo("mismatch");
        assertThat(feedRow()).as("a failed run's reservation is rolled back").isEqualTo(row);
        jdbc.execute("DROP TRIGGER tamper ON warehouses");
    }

    /** A sync of the recorded answer with warehouse 251 renamed (and the first one's priority set). */
    private void renameAndSync(String name, int priority) {
        ObjectNode answer = Upstream.warehousesAnswer();
        ((ObjectNode) Upstream.warehouses(answer).get(3)).put("name", name);
        Upstream.serveWarehouses(answer);
        JsonNode run = patch("/api/syncall").json();
        assertThat(run.get("response").asText()).as(run.toString()).isEqualTo("ok");
    }

    /** Every item of the feed from this page on, until a page is empty. */
    private List<JsonNode> all(String first) {
        List<JsonNode> items = new ArrayList<>();
        String next = first;
        for (int page = 0; ; page++) {
            assertThat(page).as("pages end").isLessThan(100);
            Answer answer = get(next);
            assertThat(answer.status()).as(next + ": " + answer.body()).isEqualTo(200);
            if (answer.json().get("data").isEmpty()) {
                return items;
            }
            answer.json().get("data").forEach(items::add);
            next = answer.json().get("next").asText();
        }
    }

    private long lastSeq() {
        return count("SELECT last_seq FROM sync_feed");
    }

    /** The counter row as stored, its transaction id included: a write of it changes this. */
    private Object feedRow() {
        return rows("SELECT xmin::text AS xmin, last_seq, purged_through FROM sync_feed").get(0);
    }

    private static List<Long> concat(List<Long> a, int times, List<Long> b, int times2) {
        List<Long> all = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            all.addAll(a);
        }
        for (int i = 0; i < times2; i++) {
            all.addAll(b);
        }
        return all;
    }
}
