package co.soukosync.api;

import co.soukosync.history.ChangesHead;
import co.soukosync.history.JsonItems;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/**
 * GET /api/changes (the route api-changes in sync-api.camel.yaml): the cursor and the page size
 * as the parameters of sql/changes-after.sql, the cursor checked against what retention kept
 * (sql/changes-head.sql: older is 410), the wait for a change when the page is empty, and the
 * page with its "next" link, which is always there: a consumer loops on it.
 */
@Component("changesFeed")
public class ChangesFeed {

    /** A page of the feed: {"data":[…],"next":"/api/changes?after=<the last seq>…"}. */
    public record Page(JsonItems data, String next) {}

    /** The largest cursor the query takes (the contract takes any bigint); one above it reads the same. */
    static final long LAST_CURSOR = Long.MAX_VALUE - 10_000;

    private final ChangesHead head;

    ChangesFeed(ChangesHead head) {
        this.head = head;
    }

    /**
     * The parameters of changes-after.sql (after, limit): the request's cursor, or without one
     * the start of what is kept (the feed's head, a row of changes-head.sql).
     */
    public Map<String, Object> query(@Variable(ApiContract.PARAMS) Map<String, Object> params,
                                     @Variable("feedHead") Map<String, Object> feed) {
        Object after = params.get("after");
        long from = after == null ? purgedThrough(feed) : ((Number) after).longValue();
        // no seq comes near the largest bigint; a cursor there must not overflow the query's arithmetic
        return Map.of("after", Math.min(from, LAST_CURSOR), "limit", limit(params));
    }

    /** The request's cursor is older than what retention kept (a 410). */
    public boolean gone(@Variable(ApiContract.PARAMS) Map<String, Object> params,
                        @Variable("feedHead") Map<String, Object> feed) {
        Object after = params.get("after");
        return after != null && ((Number) after).longValue() < purgedThrough(feed);
    }

    /**
     * The 410 of a cursor older than what retention kept: the API's error body, with "next": the
     * feed after the newest seq, where the consumer goes on once it has read the mirror again.
     */
    public ApiError goneAnswer(@Variable(ApiContract.PARAMS) Map<String, Object> params,
                               @Variable("feedHead") Map<String, Object> feed, @Header(Exchange.HTTP_URI) String path) {
        long last = ((Number) feed.get("last_seq")).longValue();
        return ApiError.of("gone", "the change log up to seq " + purgedThrough(feed) + " is deleted (SYNC_CHANGES_KEEP_DAYS): "
                + "read the mirror again (GET /api/users, GET /api/warehouses), then go on from \"next\", after seq " + last
                + ", the newest when this was answered", next(path, last, params));
    }

    /**
     * An empty page of a request with wait: waits, holding no database connection, until a
     * change after the cursor commits (on any replica) or the wait is over; true when one did
     * and the page is to be read again.
     */
    public boolean waitedForMore(@Body List<Map<String, Object>> rows, @Variable(ApiContract.PARAMS) Map<String, Object> params,
                                 @Variable("feedQuery") Map<String, Object> query) throws InterruptedException {
        int wait = ((Number) params.get("wait")).intValue();
        if (!rows.isEmpty() || wait == 0) {
            return false;
        }
        return head.awaitAfter(((Number) query.get("after")).longValue(), Duration.ofSeconds(wait));
    }

    /** The page of rows of changes-after.sql, and the link to the next: after its last seq (the same cursor when empty). */
    public Page page(@Body List<Map<String, Object>> rows, @Variable(ApiContract.PARAMS) Map<String, Object> params,
                     @Variable("feedQuery") Map<String, Object> query, @Header(Exchange.HTTP_URI) String path) {
        long last = rows.isEmpty() ? ((Number) query.get("after")).longValue()
                : ((Number) rows.get(rows.size() - 1).get("seq")).longValue();
        return new Page(new JsonItems(rows.stream().map(row -> (String) row.get("item")).toList()), next(path, last, params));
    }

    private static String next(String path, long after, Map<String, Object> params) {
        int wait = ((Number) params.get("wait")).intValue();
        return path + "?after=" + after + "&limit=" + limit(params) + (wait > 0 ? "&wait=" + wait : "");
    }

    private static long purgedThrough(Map<String, Object> feed) {
        return ((Number) feed.get("purged_through")).longValue();
    }

    private static int limit(Map<String, Object> params) {
        return ((Number) params.get("limit")).intValue();
    }
}
