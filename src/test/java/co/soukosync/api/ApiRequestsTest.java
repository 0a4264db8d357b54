package co.soukosync.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.soukosync.history.JsonItems;
import co.soukosync.sync.SyncGate.RunRequest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the contract cannot say, from the parameters it checked (as ApiContract hands them over,
 * its defaults in): the parameters of our SQL, the pages and their next links, the 404s.
 */
class ApiRequestsTest {

    private final ApiRequests requests = new ApiRequests();

    private static Map<String, Object> params(Object... pairs) {
        Map<String, Object> params = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            params.put((String) pairs[i], pairs[i + 1]);
        }
        return params;
    }

    @Test
    void syncallAsksForADryRunOrAForcedOneAsItsParametersSay() {
        assertThat(requests.runRequest(params("dry_run", false, "force", false))).isEqualTo(new RunRequest(false, false));
        assertThat(requests.runRequest(params("dry_run", true, "force", true))).isEqualTo(new RunRequest(true, true));
    }

    @Test
    void aPageAsksForOneRowMoreThanItShowsFromTheIdAfterTheLastOne() {
        assertThat(requests.pageQuery(params("limit", 100))).containsEntry("limit", 101).containsEntry("from", Long.MIN_VALUE);
        assertThat(requests.pageQuery(params("limit", 1000, "after", 250L))).containsEntry("limit", 1001).containsEntry("from", 251L);
        assertThat(requests.pageQuery(params("limit", 1, "after", -5L))).containsEntry("from", -4L);
        assertThat(requests.pageQuery(params("limit", 1, "after", Long.MIN_VALUE))).containsEntry("from", Long.MIN_VALUE + 1);
        // nothing comes after the largest id: no row is asked for
        assertThat(requests.pageQuery(params("limit", 5, "after", Long.MAX_VALUE))).containsEntry("limit", 0);
    }

    @Test
    void aHistoryOrLinksPageIsAPageOfItsRow() {
        assertThat(requests.historyQuery("users", params("id", -5L, "limit", 2, "after", 7L)))
                .containsEntry("entity", "users").containsEntry("id", -5L).containsEntry("limit", 3).containsEntry("from", 8L);
        assertThat(requests.linksQuery(params("id", 233L, "limit", 100, "after", 185L)))
                .containsEntry("id", 233L).containsEntry("limit", 101).containsEntry("from", 186L);
        assertThat(requests.runQuery(params("id", 7L))).containsEntry("runId", 7L);
    }

    @Test
    void aChangesCursorIsASectionAndAnId() {
        assertThat(requests.changesQuery(params("id", 5L, "limit", 100)))
                .containsEntry("runId", 5L).containsEntry("limit", 101).containsEntry("afterSection", 0)
                .containsEntry("afterId", Long.MIN_VALUE);
        assertThat(requests.changesQuery(params("id", 5L, "limit", 3, "after", "2-185"))).containsEntry("afterSection", 2)
                .containsEntry("afterId", 185L);
        assertThat(requests.changesQuery(params("id", 5L, "limit", 3, "after", "3--5"))).containsEntry("afterSection", 3)
                .containsEntry("afterId", -5L);
        assertThat(requests.changesQuery(params("id", 5L, "limit", 3, "after", "2-9223372036854775807")))
                .containsEntry("afterId", Long.MAX_VALUE);
    }

    /** The contract checks a cursor's form; that its id fits a bigint, only here. */
    @Test
    void aCursorWhoseIdIsNoBigintIsRefused() {
        for (String cursor : List.of("2-9223372036854775808", "3--9223372036854775809")) {
            assertThatThrownBy(() -> requests.changesQuery(params("id", 5L, "limit", 3, "after", cursor)))
                    .isInstanceOf(ApiException.class)
                    .hasMessage("after must be the cursor of a \"next\" link, not \"" + cursor + "\"")
                    .satisfies(e -> assertThat(((ApiException) e).getStatus()).isEqualTo(400))
                    .satisfies(e -> assertThat(((ApiException) e).getReason()).isEqualTo("bad_request"));
        }
    }

    @Test
    void aPageShowsTheLimitAndLinksTheNextAfterItsLastRow() {
        List<Map<String, Object>> rows = List.of(
                Map.of("id", 1L, "body", "{\"id\" : 1}"),
                Map.of("id", 2L, "body", "{\"id\" : 2}"),
                Map.of("id", 3L, "body", "{\"id\" : 3}"));

        ApiRequests.Page first = requests.page(rows, params("limit", 2), "/api/warehouses");
        assertThat(json(first.data())).isEqualTo("[{\"id\":1},{\"id\":2}]");
        assertThat(first.next()).isEqualTo("/api/warehouses?limit=2&after=2");

        ApiRequests.Page last = requests.page(rows.subList(0, 2), params("limit", 2), "/api/warehouses");
        assertThat(json(last.data())).isEqualTo("[{\"id\":1},{\"id\":2}]");
        assertThat(last.next()).isNull();
    }

    @Test
    void aPageOfHistoryLinksTheNextAfterItsLastRun() {
        List<Map<String, Object>> rows = List.of(
                Map.of("run_id", 4L, "item", "{\"run_id\" : 4}"),
                Map.of("run_id", 9L, "item", "{\"run_id\" : 9}"));

        ApiRequests.Page page = requests.history(rows, params("limit", 1), "/api/users/-5/history");

        assertThat(json(page.data())).isEqualTo("[{\"run_id\":4}]");
        assertThat(page.next()).isEqualTo("/api/users/-5/history?limit=1&after=4");
    }

    @Test
    void aPageOfChangesLinksTheNextWithItsCursor() {
        List<Map<String, Object>> rows = List.of(
                Map.of("section", 1, "id", 233L, "item", "{\"entity\" : \"users\"}"),
                Map.of("section", 2, "id", 185L, "item", "{\"entity\" : \"warehouses\"}"));

        ApiRequests.Page page = requests.changes(rows, params("limit", 1), "/api/runs/5/changes");

        assertThat(json(page.data())).isEqualTo("[{\"entity\":\"users\"}]");
        assertThat(page.next()).isEqualTo("/api/runs/5/changes?limit=1&after=1-233");
    }

    @Test
    void anIdThatFindsNothingIs404() {
        assertThatThrownBy(() -> requests.one(List.of(), "user", params("id", 424242L))).isInstanceOf(ApiException.class)
                .hasMessage("no user with id 424242")
                .satisfies(e -> assertThat(((ApiException) e).getStatus()).isEqualTo(404))
                .satisfies(e -> assertThat(((ApiException) e).getReason()).isEqualTo("not_found"));
        assertThatThrownBy(() -> requests.requireRun(List.of(), params("id", 9L))).isInstanceOf(ApiException.class)
                .hasMessage("no run with id 9");
        assertThat(requests.one(List.of(Map.of("body", "{\"id\" : 7}")), "user", params("id", 7L)).data()).isEqualTo("{\"id\" : 7}");
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
