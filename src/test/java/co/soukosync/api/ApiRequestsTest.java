package co.soukosync.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.soukosync.history.JsonItems;
import co.soukosync.sync.SyncGate.RunRequest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The parameters of our API as the routes get them (decoded query and path values), and the pages. */
class ApiRequestsTest {

    private final ApiRequests requests = new ApiRequests();

    private static AbstractThrowableAssert<?, ?> refused(Runnable call) {
        return assertThatThrownBy(call::run).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).getStatus()).isEqualTo(400))
                .satisfies(e -> assertThat(((ApiException) e).getReason()).isEqualTo("bad_request"));
    }

    @Test
    void countIsAllTheRunsWhenAbsentAndOneToAHundredOtherwise() {
        assertThat(requests.countQuery(null)).containsEntry("count", 100L);
        assertThat(requests.countQuery("")).containsEntry("count", 100L);
        assertThat(requests.countQuery("1")).containsEntry("count", 1L);
        assertThat(requests.countQuery("100")).containsEntry("count", 100L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "-1", "abc", "1.5", "0x10", " ", "99999999999999999999", "１"})
    void aCountOutsideOneToAHundredIsRefusedSayingSo(String count) {
        refused(() -> requests.countQuery(count)).hasMessageStartingWith("count must be a whole number from 1 to 100, not ");
    }

    @Test
    void aRefusedValueIsQuotedPrintableAndShort() {
        refused(() -> requests.countQuery("\u0000")).hasMessage("count must be a whole number from 1 to 100, not \"?\"");
        refused(() -> requests.countQuery("x".repeat(100))).hasMessageEndingWith("x…\"");
    }

    @Test
    void dryRunAndForceAreTrueOrFalse() {
        assertThat(requests.runRequest(null)).isEqualTo(new RunRequest(false, false));
        assertThat(requests.runRequest("dry_run=false&force=")).isEqualTo(new RunRequest(false, false));
        assertThat(requests.runRequest("dry_run=true&force=true")).isEqualTo(new RunRequest(true, true));
        assertThat(requests.runRequest("dry%5Frun=%74rue")).isEqualTo(new RunRequest(true, false));
        refused(() -> requests.runRequest("dry_run=maybe")).hasMessage("dry_run must be true or false, not \"maybe\"");
        refused(() -> requests.runRequest("force=TRUE")).hasMessageStartingWith("force must be true or false");
        refused(() -> requests.runRequest("force=true&force=false")).hasMessage("\"force\" is given more than once");
    }

    @Test
    void syncallTakesNoOtherParameter() {
        refused(() -> requests.runRequest("dryrun=true")).hasMessage("PATCH /api/syncall takes dry_run and force, not \"dryrun\"");
        refused(() -> requests.runRequest("dry_run=true&x")).hasMessage("PATCH /api/syncall takes dry_run and force, not \"x\"");
        refused(() -> requests.runRequest("%zz=1")).hasMessageStartingWith("the query string is not valid URL encoding");
    }

    @Test
    void syncastTakesNoParameter() {
        requests.castRequest(null);
        requests.castRequest("");
        refused(() -> requests.castRequest("force=true")).hasMessage("force is for PATCH /api/syncall, which answers with its "
                + "run's result; a cast answers before its run");
        refused(() -> requests.castRequest("dry_run=false")).hasMessageStartingWith("dry_run is for PATCH /api/syncall");
        refused(() -> requests.castRequest("x=1")).hasMessage("PATCH /api/syncast takes no parameters, not \"x\"");
    }

    @Test
    void anIdIsAnyBigintAsTheSyncAcceptsIt() {
        assertThat(requests.idQuery("233")).containsEntry("id", 233L);
        assertThat(requests.idQuery("-5")).containsEntry("id", -5L);
        assertThat(requests.idQuery("0")).containsEntry("id", 0L);
        assertThat(requests.idQuery("9223372036854775807")).containsEntry("id", Long.MAX_VALUE);
        assertThat(requests.idQuery("-9223372036854775808")).containsEntry("id", Long.MIN_VALUE);
        assertThat(requests.runQuery("7")).containsEntry("runId", 7L);
        assertThat(requests.historyQuery("warehouses", "238", null, null)).containsEntry("entity", "warehouses").containsEntry("id", 238L);
        for (String id : List.of("abc", "1; DROP TABLE users", "9223372036854775808", "-9223372036854775809", "", "1.0",
                "--5", "+5", "-", "5-", "１", "99999999999999999999")) {
            refused(() -> requests.idQuery(id)).hasMessageStartingWith("id must be a whole number from -9223372036854775808 to 9223372036854775807");
        }
    }

    @Test
    void aPageAsksForOneRowMoreThanItShowsFromTheIdAfterTheLastOne() {
        assertThat(requests.pageQuery(null, null)).containsEntry("limit", 101).containsEntry("from", Long.MIN_VALUE);
        assertThat(requests.pageQuery("1000", "250")).containsEntry("limit", 1001).containsEntry("from", 251L);
        assertThat(requests.pageQuery("1", "-5")).containsEntry("from", -4L);
        assertThat(requests.pageQuery("1", "-9223372036854775808")).containsEntry("from", Long.MIN_VALUE + 1);
        // nothing comes after the largest id: no row is asked for
        assertThat(requests.pageQuery("5", "9223372036854775807")).containsEntry("limit", 0);
        refused(() -> requests.pageQuery("1001", null)).hasMessage("limit must be a whole number from 1 to 1000, not 1001");
        refused(() -> requests.pageQuery("0", null));
        refused(() -> requests.pageQuery(null, "abc")).hasMessageStartingWith("after must be a whole number");
        refused(() -> requests.pageQuery(null, "9223372036854775808"));
    }

    @Test
    void aHistoryOrLinksPageIsAPageOfItsRow() {
        assertThat(requests.historyQuery("users", "-5", "2", "7")).containsEntry("entity", "users").containsEntry("id", -5L)
                .containsEntry("limit", 3).containsEntry("from", 8L);
        assertThat(requests.linksQuery("233", null, "185")).containsEntry("id", 233L).containsEntry("limit", 101).containsEntry("from", 186L);
        refused(() -> requests.linksQuery("233", "1001", null));
    }

    @Test
    void aChangesCursorIsASectionAndAnId() {
        assertThat(requests.changesQuery("5", null, null))
                .containsEntry("runId", 5L).containsEntry("limit", 101).containsEntry("afterSection", 0);
        assertThat(requests.changesQuery("5", "3", "2-185")).containsEntry("afterSection", 2).containsEntry("afterId", 185L);
        assertThat(requests.changesQuery("5", "3", "3--5")).containsEntry("afterSection", 3).containsEntry("afterId", -5L);
        assertThat(requests.changesQuery("5", "3", "2-9223372036854775807")).containsEntry("afterId", Long.MAX_VALUE);
        for (String cursor : List.of("x", "4-1", "0-1", "1-", "1-x", "185", "2-9223372036854775808", "2---5", "2-+5")) {
            refused(() -> requests.changesQuery("5", null, cursor)).hasMessageStartingWith("after must be the cursor of a \"next\" link");
        }
    }

    @Test
    void aPageShowsTheLimitAndLinksTheNextAfterItsLastRow() {
        List<Map<String, Object>> rows = List.of(
                Map.of("id", 1L, "body", "{\"id\" : 1}"),
                Map.of("id", 2L, "body", "{\"id\" : 2}"),
                Map.of("id", 3L, "body", "{\"id\" : 3}"));

        ApiRequests.Page first = requests.page(rows, "2", "/api/warehouses");
        assertThat(json(first.data())).isEqualTo("[{\"id\":1},{\"id\":2}]");
        assertThat(first.next()).isEqualTo("/api/warehouses?limit=2&after=2");

        ApiRequests.Page last = requests.page(rows.subList(0, 2), "2", "/api/warehouses");
        assertThat(json(last.data())).isEqualTo("[{\"id\":1},{\"id\":2}]");
        assertThat(last.next()).isNull();
    }

    @Test
    void aPageOfHistoryLinksTheNextAfterItsLastRun() {
        List<Map<String, Object>> rows = List.of(
                Map.of("run_id", 4L, "item", "{\"run_id\" : 4}"),
                Map.of("run_id", 9L, "item", "{\"run_id\" : 9}"));

        ApiRequests.Page page = requests.history(rows, "1", "/api/users/-5/history");

        assertThat(json(page.data())).isEqualTo("[{\"run_id\":4}]");
        assertThat(page.next()).isEqualTo("/api/users/-5/history?limit=1&after=4");
    }

    @Test
    void aPageOfChangesLinksTheNextWithItsCursor() {
        List<Map<String, Object>> rows = List.of(
                Map.of("section", 1, "id", 233L, "item", "{\"entity\" : \"users\"}"),
                Map.of("section", 2, "id", 185L, "item", "{\"entity\" : \"warehouses\"}"));

        ApiRequests.Page page = requests.changes(rows, "1", "/api/runs/5/changes");

        assertThat(json(page.data())).isEqualTo("[{\"entity\":\"users\"}]");
        assertThat(page.next()).isEqualTo("/api/runs/5/changes?limit=1&after=1-233");
    }

    @Test
    void anIdThatFindsNothingIs404() {
        assertThatThrownBy(() -> requests.one(List.of(), "user", "424242")).isInstanceOf(ApiException.class)
                .hasMessage("no user with id 424242")
                .satisfies(e -> assertThat(((ApiException) e).getStatus()).isEqualTo(404))
                .satisfies(e -> assertThat(((ApiException) e).getReason()).isEqualTo("not_found"));
        assertThatThrownBy(() -> requests.requireRun(List.of(), "9")).isInstanceOf(ApiException.class).hasMessage("no run with id 9");
        assertThat(requests.one(List.of(Map.of("body", "{\"id\" : 7}")), "user", "7").data()).isEqualTo("{\"id\" : 7}");
    }

    /** The page's items as an answer writes them: each compacted, in one array. */
    private static String json(JsonItems items) {
        try {
            return new ObjectMapper().writeValueAsString(items);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}
