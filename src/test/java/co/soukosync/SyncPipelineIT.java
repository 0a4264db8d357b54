package co.soukosync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncPipelineIT extends IntegrationSupport {

    @Test
    void firstSyncMirrorsUserWarehousesAndLinks() {
        Answer answer = patch("/api/syncall");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("application/json");
        JsonNode json = answer.json();
        assertThat(json.get("response").asText()).isEqualTo("ok");
        assertThat(json.get("data").asText()).isEqualTo("6 upserted");
        assertThat(json.get("date").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(json.at("/counts/users/inserted").asLong()).isEqualTo(1);
        assertThat(json.at("/counts/warehouses/inserted").asLong()).isEqualTo(5);
        assertThat(json.at("/counts/links/added").asLong()).isEqualTo(5);

        Map<String, Object> user = rows("SELECT * FROM users").get(0);
        assertThat(user).containsEntry("id", 233L).containsEntry("username", "julio_user1")
                .containsEntry("email", "Hilma.Leannon@wms.com").containsEntry("employee_id", "E-5430")
                .containsEntry("first_name", "Hilma").containsEntry("last_name", "Leannon")
                .containsEntry("tenant_id", 137L).containsEntry("active", true).containsEntry("type", "admin");
        // unknown upstream fields are kept in the raw object
        assertThat(count("SELECT count(*) FROM users WHERE raw -> 'tenant' ->> 'name' = 'julio_tenant'")).isEqualTo(1);

        assertThat(jdbc.queryForList("SELECT id FROM warehouses ORDER BY id", Long.class))
                .containsExactly(185L, 238L, 242L, 251L, 253L);
        Map<String, Object> z5 = rows("SELECT * FROM warehouses WHERE id = 238").get(0);
        assertThat(z5).containsEntry("name", "z5").containsEntry("line1", "z5").containsEntry("priority", 55)
                .containsEntry("tenant_id", 137L).containsEntry("active", true);
        assertThat(z5.get("fax")).isNull();
        assertThat(z5.get("line2")).isNull();
        assertThat(jdbc.queryForList("SELECT warehouse_id FROM users_warehouses WHERE user_id = 233 ORDER BY 1", Long.class))
                .containsExactly(185L, 238L, 242L, 251L, 253L);

        Map<String, Object> run = rows("SELECT * FROM sync_runs").get(0);
        assertThat(run).containsEntry("trigger", "call").containsEntry("outcome", "ok")
                .containsEntry("users_inserted", 1).containsEntry("warehouses_inserted", 5)
                .containsEntry("links_added", 5).containsEntry("user_id", 233L);
        assertThat(json.get("run_id").asLong()).isEqualTo(((Number) run.get("id")).longValue());
    }

    @Test
    void resyncRestoresDeletedWarehouseAndLocalEdits() {
        patch("/api/syncall");
        jdbc.update("DELETE FROM warehouses WHERE id = 242");
        jdbc.update("UPDATE warehouses SET name = 'edited here' WHERE id = 185");

        JsonNode json = patch("/api/syncall").json();

        assertThat(json.get("data").asText()).isEqualTo("6 upserted");
        assertThat(jdbc.queryForObject("SELECT name FROM warehouses WHERE id = 185", String.class))
                .isEqualTo("julio_warehouse_1");
        assertThat(count("SELECT count(*) FROM warehouses WHERE id = 242 AND name = 'z8'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM users_warehouses WHERE user_id = 233")).isEqualTo(5);
        assertThat(json.at("/counts/warehouses/inserted").asLong()).isEqualTo(1);
        assertThat(json.at("/counts/warehouses/updated").asLong()).isEqualTo(1);
        assertThat(json.at("/counts/warehouses/unchanged").asLong()).isEqualTo(3);
        assertThat(json.at("/counts/links/added").asLong()).isEqualTo(1);
    }

    @Test
    void deletingAUserOrAWarehouseByHandTakesItsLinksWithIt() {
        patch("/api/syncall");
        addOtherUserLinkedTo(238);

        jdbc.update("DELETE FROM warehouses WHERE id = 238");
        assertThat(count("SELECT count(*) FROM users_warehouses WHERE warehouse_id = 238")).isZero();
        jdbc.update("DELETE FROM users WHERE id = 233");
        assertThat(count("SELECT count(*) FROM users_warehouses WHERE user_id = 233")).isZero();
        assertThat(count("SELECT count(*) FROM users_warehouses WHERE user_id = 999")).isZero();

        JsonNode json = patch("/api/syncall").json();
        assertThat(json.at("/counts/links/added").asLong()).isEqualTo(5);
        assertThat(json.at("/verified/links").asLong()).isEqualTo(5);
    }

    @Test
    void unchangedResyncWritesNoRow() {
        patch("/api/syncall");
        List<Map<String, Object>> before = rows("SELECT id, updated_at FROM warehouses UNION ALL "
                + "SELECT id, updated_at FROM users ORDER BY 1");

        JsonNode json = patch("/api/syncall").json();

        assertThat(json.get("data").asText()).isEqualTo("6 upserted");
        assertThat(json.at("/counts/users/unchanged").asLong()).isEqualTo(1);
        assertThat(json.at("/counts/warehouses/unchanged").asLong()).isEqualTo(5);
        assertThat(json.at("/counts/warehouses/updated").asLong()).isZero();
        assertThat(rows("SELECT id, updated_at FROM warehouses UNION ALL SELECT id, updated_at FROM users ORDER BY 1"))
                .isEqualTo(before);
    }

    @Test
    void changedFieldUpstreamMovesOnlyThatRowsUpdatedAt() {
        patch("/api/syncall");
        Timestamp before185 = jdbc.queryForObject("SELECT updated_at FROM warehouses WHERE id = 185", Timestamp.class);
        Timestamp before238 = jdbc.queryForObject("SELECT updated_at FROM warehouses WHERE id = 238", Timestamp.class);
        ObjectNode answer = Upstream.warehousesAnswer();
        ((ObjectNode) Upstream.warehouses(answer).get(1)).put("phone", "555-0100");
        Upstream.serveWarehouses(answer);

        JsonNode json = patch("/api/syncall").json();

        assertThat(json.at("/counts/warehouses/updated").asLong()).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT phone FROM warehouses WHERE id = 238", String.class)).isEqualTo("555-0100");
        assertThat(jdbc.queryForObject("SELECT updated_at FROM warehouses WHERE id = 238", Timestamp.class)).isAfter(before238);
        assertThat(jdbc.queryForObject("SELECT updated_at FROM warehouses WHERE id = 185", Timestamp.class)).isEqualTo(before185);
    }

    @Test
    void warehouseLinkedToSecondUserKeepsBothLinks() {
        patch("/api/syncall");
        addOtherUserLinkedTo(238);

        patch("/api/syncall");

        assertThat(jdbc.queryForList("SELECT user_id FROM users_warehouses WHERE warehouse_id = 238 ORDER BY 1", Long.class))
                .containsExactly(233L, 999L);
    }

    @Test
    void warehouseUnassignedUpstreamLosesOnlyThisUsersLink() {
        patch("/api/syncall");
        addOtherUserLinkedTo(253);
        ObjectNode answer = Upstream.warehousesAnswer();
        Upstream.warehouses(answer).remove(4); // 253
        Upstream.serveWarehouses(answer);

        JsonNode json = patch("/api/syncall").json();

        assertThat(json.get("data").asText()).isEqualTo("5 upserted");
        assertThat(json.at("/counts/links/removed").asLong()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM users_warehouses WHERE user_id = 233 AND warehouse_id = 253")).isZero();
        assertThat(count("SELECT count(*) FROM users_warehouses WHERE user_id = 999 AND warehouse_id = 253")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM warehouses WHERE id = 253")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM users_warehouses WHERE user_id = 233")).isEqualTo(4);
    }

    @Test
    void userWithoutWarehousesLosesAllItsLinks() {
        patch("/api/syncall");
        ObjectNode answer = Upstream.warehousesAnswer();
        Upstream.warehouses(answer).removeAll();
        Upstream.serveWarehouses(answer);

        JsonNode json = patch("/api/syncall").json();

        assertThat(json.get("data").asText()).isEqualTo("1 upserted");
        assertThat(count("SELECT count(*) FROM users_warehouses")).isZero();
        assertThat(count("SELECT count(*) FROM warehouses")).isEqualTo(5);
    }

    @Test
    void upstream503FailsTheRunAndLeavesTheMirrorAsItWas() {
        patch("/api/syncall");
        jdbc.update("UPDATE warehouses SET name = 'edited here' WHERE id = 185");
        var before = mirror();
        Upstream.serveWarehouses(aResponse().withStatus(503).withBody("<html>503 Service Temporarily Unavailable</html>"));
        Upstream.SERVER.resetRequests();

        JsonNode json = patch("/api/syncall").json();

        assertThat(json.get("response").asText()).isEqualTo("error");
        assertThat(json.at("/data/reason").asText()).isEqualTo("http_503");
        assertThat(json.at("/data/stage").asText()).isEqualTo("fetch_warehouses");
        assertThat(json.at("/data/message").asText()).contains("503");
        assertThat(mirror()).isEqualTo(before);
        // the first attempt and the two retries of the default policy
        Upstream.SERVER.verify(3, getRequestedFor(urlPathEqualTo(Upstream.WAREHOUSES)));
        assertThat(rows("SELECT outcome, error_reason, error_stage FROM sync_runs ORDER BY id DESC LIMIT 1").get(0))
                .containsEntry("outcome", "error").containsEntry("error_reason", "http_503")
                .containsEntry("error_stage", "fetch_warehouses");
    }

    @Test
    void truncatedBodyOnFirstSyncWritesNothing() {
        String whole = Upstream.warehousesAnswer().toString();
        Upstream.serveWarehouses(Upstream.json(whole.substring(0, whole.length() - 40)));

        JsonNode json = patch("/api/syncall").json();

        assertThat(json.at("/data/reason").asText()).isEqualTo("bad_response");
        assertThat(json.at("/data/stage").asText()).isEqualTo("fetch_warehouses");
        // the user was upserted before the bad batch was read: the rollback took it away too
        assertThat(count("SELECT count(*) FROM users")).isZero();
        assertThat(count("SELECT count(*) FROM warehouses")).isZero();
        assertThat(count("SELECT count(*) FROM users_warehouses")).isZero();
        assertThat(count("SELECT count(*) FROM sync_runs WHERE outcome = 'error'")).isEqualTo(1);
    }

    @Test
    void malformedJsonFailsTheRunAndLeavesTheMirrorAsItWas() {
        patch("/api/syncall");
        var before = mirror();
        Upstream.serveWarehouses(Upstream.json("{\"warehouses\": [{\"id\": 185,, }]}"));

        JsonNode json = patch("/api/syncall").json();

        assertThat(json.at("/data/reason").asText()).isEqualTo("bad_response");
        assertThat(mirror()).isEqualTo(before);
    }

    @Test
    void htmlInsteadOfJsonIsABadResponse() {
        Upstream.serveWarehouses(aResponse().withStatus(200).withHeader("Content-Type", "text/html")
                .withBody("<html><body>maintenance</body></html>"));

        JsonNode json = patch("/api/syncall").json();

        assertThat(json.at("/data/reason").asText()).isEqualTo("bad_response");
        assertThat(count("SELECT count(*) FROM users")).isZero();
    }

    @Test
    void jsonServedAsPlainTextIsABadResponse() {
        Upstream.serveWarehouses(aResponse().withStatus(200).withHeader("Content-Type", "text/plain")
                .withBody(Upstream.warehousesAnswer().toString()));

        JsonNode json = patch("/api/syncall").json();

        assertThat(json.at("/data/reason").asText()).isEqualTo("bad_response");
        assertThat(json.at("/data/message").asText()).isEqualTo("the upstream answered text/plain, not JSON");
        assertThat(count("SELECT count(*) FROM users")).isZero();
    }

    @Test
    void warehouseWithoutRequiredFieldFailsTheRunNamingIt() {
        ObjectNode answer = Upstream.warehousesAnswer();
        ((ObjectNode) Upstream.warehouses(answer).get(2)).remove("line1");
        Upstream.serveWarehouses(answer);

        JsonNode json = patch("/api/syncall").json();

        assertThat(json.at("/data/reason").asText()).isEqualTo("bad_response");
        assertThat(json.at("/data/message").asText()).isEqualTo("warehouse #3 (id 242) lacks line1");
        assertThat(count("SELECT count(*) FROM warehouses")).isZero();
        assertThat(count("SELECT count(*) FROM users")).isZero();
    }

    @Test
    void aNulInANestedFieldOfTheUserIsABadResponseNamingTheUserAndTheField() throws Exception {
        patch("/api/syncall");
        var before = mirror();
        ObjectNode user = (ObjectNode) JSON.readTree(Upstream.fixture("users_me.json"));
        ((ObjectNode) user.get("profiles").get(1)).put("key", "ad\0min"); // Jackson sends it escaped, as a JSON escape
        Upstream.SERVER.stubFor(WireMock.get(urlPathEqualTo(Upstream.ME)).atPriority(1).willReturn(Upstream.json(user.toString())));

        JsonNode json = patch("/api/syncall").json();

        assertThat(json.at("/data/reason").asText()).as(json.toString()).isEqualTo("bad_response");
        assertThat(json.at("/data/stage").asText()).isEqualTo("fetch_user");
        assertThat(json.at("/data/message").asText())
                .isEqualTo("the user record (id 233) has a NUL character in profiles[1].key");
        assertThat(mirror()).isEqualTo(before);
    }

    @Test
    void aLoneSurrogateInANestedFieldOfAWarehouseIsABadResponseNamingTheWarehouseAndTheField() {
        patch("/api/syncall");
        var before = mirror();
        ObjectNode answer = Upstream.warehousesAnswer();
        ((ObjectNode) Upstream.warehouses(answer).get(2)).putObject("contact").putArray("names").add("ok").add("LONE");
        // half of a surrogate pair, as the JSON escape that PostgreSQL's jsonb refuses
        Upstream.serveWarehouses(Upstream.json(answer.toString().replace("LONE", "\\ud800x")));

        JsonNode json = patch("/api/syncall").json();

        assertThat(json.at("/data/reason").asText()).as(json.toString()).isEqualTo("bad_response");
        assertThat(json.at("/data/stage").asText()).isEqualTo("fetch_warehouses");
        assertThat(json.at("/data/message").asText())
                .isEqualTo("warehouse #3 (id 242) has a lone surrogate in contact.names[1]");
        assertThat(mirror()).isEqualTo(before);
    }

    @Test
    void textWithCopysSpecialCharactersIsMirroredAsSentAndVerified() {
        // what COPY's text format escapes (backslash, tab, newline, carriage return), its null
        // marker as text, and characters of two, three and four UTF-8 bytes
        String name = "Dock\\North\tBay 1\nRow\r2 \\N é 倉庫 🏭";
        ObjectNode answer = Upstream.warehousesAnswer();
        ((ObjectNode) Upstream.warehouses(answer).get(0)).put("name", name).put("line2", "\\N");
        ((ObjectNode) Upstream.warehouses(answer).get(0)).putObject("notes").put("text", "a\tb\\c\nd");
        Upstream.serveWarehouses(answer);

        JsonNode first = patch("/api/syncall").json();
        JsonNode again = patch("/api/syncall").json();

        assertThat(first.at("/response").asText()).as(first.toString()).isEqualTo("ok");
        assertThat(first.get("data").asText()).isEqualTo("6 upserted");
        assertThat(jdbc.queryForMap("SELECT name, line2, raw -> 'notes' ->> 'text' AS notes, raw ->> 'name' AS raw_name"
                + " FROM warehouses WHERE id = 185"))
                .containsEntry("name", name).containsEntry("line2", "\\N").containsEntry("notes", "a\tb\\c\nd")
                .containsEntry("raw_name", name);
        // the receipt compared PostgreSQL's digest of the stored row with the reader's: equal
        assertThat(first.at("/verified/warehouses").asLong()).isEqualTo(5);
        assertThat(again.at("/counts/warehouses/unchanged").asLong()).as(again.toString()).isEqualTo(5);
    }

    @Test
    void aWarehouseListedTwiceIsABadResponseNamingItAndWritesNothing() {
        patch("/api/syncall");
        var before = mirror();
        ObjectNode answer = Upstream.warehousesAnswer();
        ArrayNode warehouses = Upstream.warehouses(answer);
        warehouses.add(warehouses.get(2).deepCopy()); // 242 again, after 253: out of order
        Upstream.serveWarehouses(answer);

        JsonNode json = patch("/api/syncall").json();

        assertThat(json.at("/data/reason").asText()).as(json.toString()).isEqualTo("bad_response");
        assertThat(json.at("/data/stage").asText()).isEqualTo("fetch_warehouses");
        assertThat(json.at("/data/message").asText()).isEqualTo("the warehouses answer lists warehouse 242 more than once");
        assertThat(mirror()).isEqualTo(before);
    }

    @Test
    void warehousesInAnyOrderAreMirrored() {
        ObjectNode answer = Upstream.warehousesAnswer();
        ArrayNode warehouses = Upstream.warehouses(answer);
        List<JsonNode> reversed = new ArrayList<>();
        warehouses.forEach(reversed::add);
        Collections.reverse(reversed);
        warehouses.removeAll();
        warehouses.addAll(reversed);
        Upstream.serveWarehouses(answer);

        JsonNode json = patch("/api/syncall").json();

        assertThat(json.get("data").asText()).as(json.toString()).isEqualTo("6 upserted");
        assertThat(jdbc.queryForList("SELECT warehouse_id FROM users_warehouses WHERE user_id = 233 ORDER BY 1", Long.class))
                .containsExactly(185L, 238L, 242L, 251L, 253L);
    }

    @Test
    void unknownUpstreamFieldsAreKeptRaw() {
        ObjectNode answer = Upstream.warehousesAnswer();
        ((ObjectNode) Upstream.warehouses(answer).get(0)).put("dock_count", 12);
        Upstream.serveWarehouses(answer);

        patch("/api/syncall");

        assertThat(jdbc.queryForObject("SELECT raw ->> 'dock_count' FROM warehouses WHERE id = 185", String.class))
                .isEqualTo("12");
    }

    @Test
    void aDryRunCountsWhatASyncWouldWriteAndWritesNothing() {
        JsonNode dry = patch("/api/syncall?dry_run=true").json();

        assertThat(dry.get("response").asText()).isEqualTo("ok");
        assertThat(dry.get("dry_run").asBoolean()).isTrue();
        assertThat(dry.get("data").asText()).startsWith("6 upserted (dry run");
        assertThat(dry.at("/counts/warehouses/inserted").asLong()).isEqualTo(5);
        assertThat(dry.at("/counts/links/added").asLong()).isEqualTo(5);
        assertThat(count("SELECT count(*) FROM users")).isZero();
        assertThat(count("SELECT count(*) FROM warehouses")).isZero();
        assertThat(count("SELECT count(*) FROM users_warehouses")).isZero();
        assertThat(rows("SELECT outcome, dry_run, warehouses_inserted FROM sync_runs").get(0))
                .containsEntry("outcome", "ok").containsEntry("dry_run", true).containsEntry("warehouses_inserted", 5);

        patch("/api/syncall");
        var before = mirror();
        ObjectNode answer = Upstream.warehousesAnswer();
        ((ObjectNode) Upstream.warehouses(answer).get(0)).put("name", "renamed upstream");
        Upstream.warehouses(answer).remove(4);
        Upstream.serveWarehouses(answer);

        JsonNode second = patch("/api/syncall?dry_run=true").json();

        assertThat(second.at("/counts/warehouses/updated").asLong()).isEqualTo(1);
        assertThat(second.at("/counts/warehouses/unchanged").asLong()).isEqualTo(3);
        assertThat(second.at("/counts/links/removed").asLong()).isEqualTo(1);
        assertThat(mirror()).isEqualTo(before);
        assertThat(get("/api/synlast?count=1").json().at("/data/0/dry_run").asBoolean()).isTrue();
        assertThat(patch("/api/syncall?dry_run=maybe").status()).isEqualTo(400);
    }

    @Test
    void oneTokenServesSeveralSyncs() {
        for (int i = 0; i < 3; i++) {
            assertThat(patch("/api/syncall").json().get("response").asText()).isEqualTo("ok");
        }

        Upstream.SERVER.verify(1, postRequestedFor(urlPathEqualTo(Upstream.AUTH)));
        Upstream.SERVER.verify(3, getRequestedFor(urlPathEqualTo(Upstream.ME)));
    }

    private void addOtherUserLinkedTo(long warehouseId) {
        jdbc.update("INSERT INTO users (id, username, email, employee_id, first_name, last_name, raw) "
                + "VALUES (999, 'other', 'o@x', 'E-1', 'O', 'Ther', '{}') ON CONFLICT DO NOTHING");
        jdbc.update("INSERT INTO users_warehouses (user_id, warehouse_id) VALUES (999, ?)", warehouseId);
    }
}
