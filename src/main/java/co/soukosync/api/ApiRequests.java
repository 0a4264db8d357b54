package co.soukosync.api;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import co.soukosync.history.RunAnswers;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** Reads the parameters of our own API and shapes its read-only answers and its 4xx errors. */
@Component("apiRequests")
public class ApiRequests {

    static final int MAX_RUNS = 100;

    private final Clock clock = Clock.systemUTC();

    /** The count of GET /api/synlast: absent means all (at most 100). */
    public int count(@Header("count") Object raw) {
        if (raw == null || raw.toString().isEmpty()) {
            return MAX_RUNS;
        }
        String text = raw.toString();
        if (!text.matches("[0-9]{1,3}")) {
            throw new ApiException(400, "bad_request",
                    "count must be a whole number from 1 to " + MAX_RUNS + ", not \"" + printable(text) + "\"");
        }
        int count = Integer.parseInt(text);
        if (count < 1 || count > MAX_RUNS) {
            throw new ApiException(400, "bad_request",
                    "count must be a whole number from 1 to " + MAX_RUNS + ", not " + count);
        }
        return count;
    }

    /** The dry_run of PATCH /api/syncall: absent or false, or true. */
    public boolean dryRun(@Header("dry_run") Object raw) {
        String text = raw == null ? "" : raw.toString();
        return switch (text) {
            case "", "false" -> false;
            case "true" -> true;
            default -> throw new ApiException(400, "bad_request", "dry_run must be true or false, not \"" + printable(text) + "\"");
        };
    }

    /** The parameters of runs-latest.sql. */
    public Map<String, Object> countQuery(@Header("count") Object raw) {
        return Map.of("count", count(raw));
    }

    /** The parameters of the by-id queries. */
    public Map<String, Object> idQuery(@Header("id") Object raw) {
        return Map.of("id", id(raw));
    }

    /** The answer of PATCH /api/syncast, whether it queued a run or joined a pending one. */
    public Map<String, Object> casted() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("response", "ok");
        answer.put("date", RunAnswers.format(clock.instant()));
        answer.put("data", "sync casted");
        return answer;
    }

    /** A path id: a positive whole number. */
    public long id(@Header("id") Object raw) {
        String text = raw == null ? "" : raw.toString();
        if (!text.matches("[0-9]{1,18}")) {
            throw new ApiException(400, "bad_request", "id must be a whole number, not \"" + printable(text) + "\"");
        }
        return Long.parseLong(text);
    }

    /** {"data": [rows]} with database arrays turned into lists and times into ISO-8601 UTC. */
    public Map<String, Object> list(@Body List<Map<String, Object>> rows) throws SQLException {
        for (Map<String, Object> row : rows) {
            plain(row);
        }
        return Map.of("data", rows);
    }

    /** {"data": row}, or 404 when the query found nothing. */
    public Map<String, Object> one(@Body List<Map<String, Object>> rows, @Header("what") String what,
                                   @Header("id") Object id) throws SQLException {
        if (rows == null || rows.isEmpty()) {
            throw new ApiException(404, "not_found", "no " + what + " with id " + id);
        }
        return Map.of("data", plain(rows.get(0)));
    }

    /** The body of a 4xx answer. */
    public Map<String, Object> error(String reason, String message) {
        return errorBody(reason, message);
    }

    /** Every error answer of our API that is not a run: {"response":"error","date",…,"data":{reason, message}}. */
    public static Map<String, Object> errorBody(String reason, String message) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("reason", reason);
        data.put("message", message);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("response", "error");
        answer.put("date", RunAnswers.format(Clock.systemUTC().instant()));
        answer.put("data", data);
        return answer;
    }

    private static Map<String, Object> plain(Map<String, Object> row) throws SQLException {
        for (Map.Entry<String, Object> column : row.entrySet()) {
            if (column.getValue() instanceof Array array) {
                column.setValue(Arrays.asList((Object[]) array.getArray()));
            } else if (column.getValue() instanceof Timestamp timestamp) {
                column.setValue(RunAnswers.format(timestamp.toInstant()));
            }
        }
        return row;
    }

    private static String printable(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
