package co.soukosync.api;

import co.soukosync.history.Dates;
import co.soukosync.history.JsonItems;
import co.soukosync.sync.SyncGate.RunRequest;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * Reads the parameters of our own API (refusing bad ones with a 4xx that says what is wrong)
 * and shapes the answers that are not runs: the cast, and pages of the mirror or a run's changes.
 */
@Component("apiRequests")
public class ApiRequests {

    static final int MAX_RUNS = 100;
    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1000;

    /** A page of a list: {"data":[…],"next":"<the URL of the next page>"|null}. */
    public record Page(JsonItems data, String next) {}

    /** An answer that is not paged: {"data":[…]} or {"data":{…}}. */
    public record Items(@JsonRawValue String data) {}

    /** The answer of PATCH /api/syncast, whether it queued a run or joined a pending one. */
    public record Casted(String response, String date, String data) {}

    /** The parameters of GET /api/synlast: count, 1 to 100, all of them when absent. */
    public Map<String, Object> countQuery(@Header("count") Object raw) {
        return Map.of("count", raw == null || raw.toString().isEmpty() ? MAX_RUNS : number("count", raw, 1, MAX_RUNS));
    }

    /**
     * What PATCH /api/syncall asks of its run: dry_run and force, each true or false, read from
     * the query string only (a request header of the same name is not a parameter). Any other
     * parameter is refused: a misspelt dry_run would otherwise run a real sync.
     */
    public RunRequest runRequest(@Header(Exchange.HTTP_QUERY) String query) {
        Map<String, String> parameters = parameters(query);
        for (String name : parameters.keySet()) {
            if (!name.equals("dry_run") && !name.equals("force")) {
                throw new ApiException(400, "bad_request", "PATCH /api/syncall takes dry_run and force, not \""
                        + printable(name) + "\"");
            }
        }
        return new RunRequest(flag("dry_run", parameters.get("dry_run")), flag("force", parameters.get("force")));
    }

    /**
     * PATCH /api/syncast takes no parameter. Its run answers nobody: a dry run's changes are its
     * answer, and a forced run would release the brake with nobody to see what it removed; both
     * belong to PATCH /api/syncall.
     */
    public void castRequest(@Header(Exchange.HTTP_QUERY) String query) {
        for (String name : parameters(query).keySet()) {
            throw new ApiException(400, "bad_request", name.equals("dry_run") || name.equals("force")
                    ? name + " is for PATCH /api/syncall, which answers with its run's result; a cast answers before its run"
                    : "PATCH /api/syncast takes no parameters, not \"" + printable(name) + "\"");
        }
    }

    /** The parameters of a by-id query: a path id, any bigint. */
    public Map<String, Object> idQuery(@Header("id") Object raw) {
        return Map.of("id", id(raw));
    }

    /** The parameters of run-by-id.sql for the path's id. */
    public Map<String, Object> runQuery(@Header("id") Object raw) {
        return Map.of("runId", id(raw));
    }

    /**
     * The parameters of a page of row-history.sql: the entity (users, warehouses), the path's id,
     * limit, and after (the run id that ended the previous page).
     */
    public Map<String, Object> historyQuery(@Header("entity") String entity, @Header("id") Object raw,
                                            @Header("limit") Object limit, @Header("after") Object after) {
        Map<String, Object> query = new HashMap<>(pageQuery(limit, after));
        query.put("entity", entity);
        query.put("id", id(raw));
        return query;
    }

    /** The parameters of a page of a user's linked warehouse ids: the path's id, limit and after. */
    public Map<String, Object> linksQuery(@Header("id") Object raw, @Header("limit") Object limit, @Header("after") Object after) {
        Map<String, Object> query = new HashMap<>(pageQuery(limit, after));
        query.put("id", id(raw));
        return query;
    }

    /**
     * The parameters of a page by id: limit (1 to 1,000, 100 by default), and from, the first id
     * the page may hold: the smallest bigint when after is absent, else the id after it. Ids are
     * any bigint, the smallest included, so a first page cannot be asked for as "after" some id;
     * nothing comes after the largest (an empty page).
     */
    public Map<String, Object> pageQuery(@Header("limit") Object limit, @Header("after") Object after) {
        int rows = limit(limit) + 1;
        if (after == null || after.toString().isEmpty()) {
            return Map.of("limit", rows, "from", Long.MIN_VALUE);
        }
        long last = whole("after", after.toString());
        return last == Long.MAX_VALUE ? Map.of("limit", 0, "from", last) : Map.of("limit", rows, "from", last + 1);
    }

    /** The parameters of a page of a run's changes: its id, limit, and after (a cursor from "next"). */
    public Map<String, Object> changesQuery(@Header("id") Object runId, @Header("limit") Object limit,
                                            @Header("after") Object after) {
        int section = 0;
        long afterId = Long.MIN_VALUE;
        if (after != null && !after.toString().isEmpty()) {
            // section-id, the id negative too ("2--5")
            String[] cursor = after.toString().split("-", 2);
            Long id = cursor.length == 2 && cursor[0].matches("[1-3]") ? parseWhole(cursor[1]) : null;
            if (id == null) {
                throw new ApiException(400, "bad_request", "after must be the cursor of a \"next\" link, not \"" + printable(after.toString()) + "\"");
            }
            section = Integer.parseInt(cursor[0]);
            afterId = id;
        }
        return Map.of("runId", id(runId), "limit", limit(limit) + 1, "afterSection", section, "afterId", afterId);
    }

    /**
     * A page from rows (id, body) of one more than the limit: the extra row says that there is a
     * next page, which starts after the last row shown.
     */
    public Page page(@Body List<Map<String, Object>> rows, @Header("limit") Object limit,
                     @Header("CamelHttpUri") String path) {
        return page(rows, limit(limit), "body", row -> String.valueOf(row.get("id")), path);
    }

    /** A page of one row's history (rows: run_id, item). */
    public Page history(@Body List<Map<String, Object>> rows, @Header("limit") Object limit,
                        @Header("CamelHttpUri") String path) {
        return page(rows, limit(limit), "item", row -> String.valueOf(row.get("run_id")), path);
    }

    /** A page of a run's changes (rows: section, id, item). */
    public Page changes(@Body List<Map<String, Object>> rows, @Header("limit") Object limit,
                        @Header("CamelHttpUri") String path) {
        return page(rows, limit(limit), "item", row -> row.get("section") + "-" + row.get("id"), path);
    }

    /** {"data": row} of a by-id query, or 404 when it found nothing. */
    public Items one(@Body List<Map<String, Object>> rows, @Header("what") String what, @Header("id") Object id) {
        if (rows == null || rows.isEmpty()) {
            throw new ApiException(404, "not_found", "no " + what + " with id " + id);
        }
        return new Items((String) rows.get(0).get("body"));
    }

    /** 404 unless the query found the run. */
    public void requireRun(@Body List<Map<String, Object>> rows, @Header("id") Object id) {
        if (rows == null || rows.isEmpty()) {
            throw new ApiException(404, "not_found", "no run with id " + id);
        }
    }

    public Casted casted() {
        return new Casted("ok", Dates.iso(java.time.Instant.now()), "sync casted");
    }

    private static Page page(List<Map<String, Object>> rows, int limit, String column,
                             java.util.function.Function<Map<String, Object>, String> cursor, String path) {
        List<Map<String, Object>> shown = rows.size() > limit ? rows.subList(0, limit) : rows;
        String next = rows.size() > limit ? path + "?limit=" + limit + "&after=" + cursor.apply(shown.get(shown.size() - 1)) : null;
        return new Page(new JsonItems(shown.stream().map(row -> (String) row.get(column)).toList()), next);
    }

    private static int limit(Object raw) {
        return raw == null || raw.toString().isEmpty() ? DEFAULT_PAGE : (int) number("limit", raw, 1, MAX_PAGE);
    }

    private static long id(Object raw) {
        return whole("id", raw == null ? "" : raw.toString());
    }

    /**
     * An id as the sync takes it from the upstream (RecordRules: any JSON integer that fits a
     * long, PostgreSQL's bigint), so that every id stored can be asked for.
     */
    private static long whole(String name, String text) {
        Long value = parseWhole(text);
        if (value == null) {
            throw new ApiException(400, "bad_request", name + " must be a whole number from " + Long.MIN_VALUE + " to "
                    + Long.MAX_VALUE + ", not \"" + printable(text) + "\"");
        }
        return value;
    }

    /** The long of a text of ASCII digits with an optional minus, or null (another text, or out of range). */
    private static Long parseWhole(String text) {
        if (!text.matches("-?[0-9]{1,19}")) {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException outOfRange) {
            return null;
        }
    }

    private static long number(String name, Object raw, long min, long max) {
        String text = raw.toString();
        String rule = name + " must be a whole number from " + min + " to " + max;
        if (!text.matches("[0-9]{1,4}")) {
            throw new ApiException(400, "bad_request", rule + ", not \"" + printable(text) + "\"");
        }
        long value = Long.parseLong(text);
        if (value < min || value > max) {
            throw new ApiException(400, "bad_request", rule + ", not " + value);
        }
        return value;
    }

    /** The decoded parameters of a query string, each at most once. */
    private static Map<String, String> parameters(String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            if (parameters.put(name, equals < 0 ? "" : decode(pair.substring(equals + 1))) != null) {
                throw new ApiException(400, "bad_request", "\"" + printable(name) + "\" is given more than once");
            }
        }
        return parameters;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad_request", "the query string is not valid URL encoding: \"" + printable(text) + "\"");
        }
    }

    private static boolean flag(String name, Object raw) {
        String text = raw == null ? "" : raw.toString();
        return switch (text) {
            case "", "false" -> false;
            case "true" -> true;
            default -> throw new ApiException(400, "bad_request", name + " must be true or false, not \"" + printable(text) + "\"");
        };
    }

    private static String printable(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
