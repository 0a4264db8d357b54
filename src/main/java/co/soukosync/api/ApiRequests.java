package co.soukosync.api;

import co.soukosync.history.Dates;
import co.soukosync.history.JsonItems;
import co.soukosync.sync.SyncGate.RunRequest;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/**
 * What the API's contract (openapi.yaml) cannot say: its checked parameters (the variable
 * {@value ApiContract#PARAMS}, see {@link ApiContract}) as the parameters of our SQL, the pages
 * and their "next" links, a 404 for an id that nothing has, and the cast's answer.
 */
@Component("apiRequests")
public class ApiRequests {

    /** A page of a list: {"data":[…],"next":"<the URL of the next page>"|null}. */
    public record Page(JsonItems data, String next) {}

    /** An answer that is not paged: {"data":[…]} or {"data":{…}}. */
    public record Items(@JsonRawValue String data) {}

    /** The answer of PATCH /api/syncast, whether it queued a run or joined a pending one. */
    public record Casted(String response, String date, String data) {}

    /** What PATCH /api/syncall asks of its run: dry_run and force (query parameters only, as the contract has them). */
    public RunRequest runRequest(@Variable(ApiContract.PARAMS) Map<String, Object> params) {
        return new RunRequest(Boolean.TRUE.equals(params.get("dry_run")), Boolean.TRUE.equals(params.get("force")));
    }

    /** The parameters of run-by-id.sql for the path's id. */
    public Map<String, Object> runQuery(@Variable(ApiContract.PARAMS) Map<String, Object> params) {
        return Map.of("runId", params.get("id"));
    }

    /**
     * The parameters of a page of row-history.sql: the entity (users, warehouses), the path's id,
     * limit, and after (the run id that ended the previous page).
     */
    public Map<String, Object> historyQuery(@Variable("entity") String entity, @Variable(ApiContract.PARAMS) Map<String, Object> params) {
        return Map.of("entity", entity, "id", params.get("id"), "limit", from(params).get("limit"), "from", from(params).get("from"));
    }

    /** The parameters of a page of a user's linked warehouse ids: the path's id, limit and after. */
    public Map<String, Object> linksQuery(@Variable(ApiContract.PARAMS) Map<String, Object> params) {
        return Map.of("id", params.get("id"), "limit", from(params).get("limit"), "from", from(params).get("from"));
    }

    /** The parameters of a page by id: limit and after. */
    public Map<String, Object> pageQuery(@Variable(ApiContract.PARAMS) Map<String, Object> params) {
        return from(params);
    }

    /**
     * The parameters of a page of a run's changes: its id, limit, and after, a cursor from "next":
     * the section (1 users, 2 warehouses, 3 links), a dash and an id. The contract checks its form;
     * that the id fits a bigint is checked here.
     */
    public Map<String, Object> changesQuery(@Variable(ApiContract.PARAMS) Map<String, Object> params) {
        int section = 0;
        long afterId = Long.MIN_VALUE;
        Object after = params.get("after");
        if (after != null) {
            String[] cursor = after.toString().split("-", 2);
            section = Integer.parseInt(cursor[0]);
            try {
                afterId = Long.parseLong(cursor[1]);
            } catch (NumberFormatException outOfRange) {
                throw new ApiException(400, "bad_request", "after must be the cursor of a \"next\" link, not \""
                        + ApiContract.printable(after.toString()) + "\"");
            }
        }
        return Map.of("runId", params.get("id"), "limit", limit(params) + 1, "afterSection", section, "afterId", afterId);
    }

    /**
     * A page from rows (id, body) of one more than the limit: the extra row says that there is a
     * next page, which starts after the last row shown.
     */
    public Page page(@Body List<Map<String, Object>> rows, @Variable(ApiContract.PARAMS) Map<String, Object> params,
                     @Header(Exchange.HTTP_URI) String path) {
        return page(rows, limit(params), "body", row -> String.valueOf(row.get("id")), path);
    }

    /** A page of one row's history (rows: run_id, item). */
    public Page history(@Body List<Map<String, Object>> rows, @Variable(ApiContract.PARAMS) Map<String, Object> params,
                        @Header(Exchange.HTTP_URI) String path) {
        return page(rows, limit(params), "item", row -> String.valueOf(row.get("run_id")), path);
    }

    /** A page of a run's changes (rows: section, id, item). */
    public Page changes(@Body List<Map<String, Object>> rows, @Variable(ApiContract.PARAMS) Map<String, Object> params,
                        @Header(Exchange.HTTP_URI) String path) {
        return page(rows, limit(params), "item", row -> row.get("section") + "-" + row.get("id"), path);
    }

    /** {"data": row} of a by-id query, or 404 when it found nothing. */
    public Items one(@Body List<Map<String, Object>> rows, @Variable("what") String what,
                     @Variable(ApiContract.PARAMS) Map<String, Object> params) {
        if (rows == null || rows.isEmpty()) {
            throw new ApiException(404, "not_found", "no " + what + " with id " + params.get("id"));
        }
        return new Items((String) rows.get(0).get("body"));
    }

    /** 404 unless the query found the run. */
    public void requireRun(@Body List<Map<String, Object>> rows, @Variable(ApiContract.PARAMS) Map<String, Object> params) {
        if (rows == null || rows.isEmpty()) {
            throw new ApiException(404, "not_found", "no run with id " + params.get("id"));
        }
    }

    public Casted casted() {
        return new Casted("ok", Dates.iso(Instant.now()), "sync casted");
    }

    /**
     * A page by id asks for one row more than its limit, from the id after "after" (the smallest
     * bigint without it: ids are any bigint, the smallest included); nothing comes after the
     * largest (no row is asked for).
     */
    private static Map<String, Object> from(Map<String, Object> params) {
        Object after = params.get("after");
        if (after == null) {
            return Map.of("limit", limit(params) + 1, "from", Long.MIN_VALUE);
        }
        long last = ((Number) after).longValue();
        return last == Long.MAX_VALUE ? Map.of("limit", 0, "from", last) : Map.of("limit", limit(params) + 1, "from", last + 1);
    }

    /** The page's size: the contract gives its default when the request has none. */
    private static int limit(Map<String, Object> params) {
        return ((Number) params.get("limit")).intValue();
    }

    private static Page page(List<Map<String, Object>> rows, int limit, String column,
                             Function<Map<String, Object>, String> cursor, String path) {
        List<Map<String, Object>> shown = rows.size() > limit ? rows.subList(0, limit) : rows;
        String next = rows.size() > limit ? path + "?limit=" + limit + "&after=" + cursor.apply(shown.get(shown.size() - 1)) : null;
        return new Page(new JsonItems(shown.stream().map(row -> (String) row.get(column)).toList()), next);
    }
}
