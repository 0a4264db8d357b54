package co.soukosync.history;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Shapes sync runs as the original service answered them: {"response", "date", "data"}, where
 * data is "N upserted" or the error. Soukosync adds the run id, trigger, timing and counts.
 */
@Component("runAnswers")
public class RunAnswers {

    static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Clock clock;

    @Autowired
    RunAnswers() {
        this(Clock.systemUTC());
    }

    RunAnswers(Clock clock) {
        this.clock = clock;
    }

    /** The answer of PATCH /api/syncall: one run's row. */
    public Map<String, Object> run(@Body Map<String, Object> row) {
        Instant started = instant(row.get("started_at"));
        Instant finished = instant(row.get("finished_at"));
        Map<String, Object> answer = new LinkedHashMap<>();
        boolean ok = "ok".equals(row.get("outcome"));
        answer.put("response", ok ? "ok" : "error");
        answer.put("date", format(finished));
        if (ok) {
            long upserted = number(row, "users_inserted") + number(row, "users_updated") + number(row, "users_unchanged")
                    + number(row, "warehouses_inserted") + number(row, "warehouses_updated")
                    + number(row, "warehouses_unchanged");
            answer.put("data", Boolean.TRUE.equals(row.get("dry_run"))
                    ? upserted + " upserted (dry run: rolled back, nothing written)" : upserted + " upserted");
        } else {
            answer.put("data", errorData((String) row.get("error_reason"), (String) row.get("error_stage"),
                    (String) row.get("error_message")));
        }
        answer.put("run_id", row.get("id"));
        answer.put("trigger", row.get("trigger"));
        if (Boolean.TRUE.equals(row.get("dry_run"))) {
            answer.put("dry_run", true);
        }
        answer.put("started_at", format(started));
        answer.put("duration_ms", started == null || finished == null ? null : Duration.between(started, finished).toMillis());
        if (ok) {
            answer.put("user_id", row.get("user_id"));
            Map<String, Object> links = new LinkedHashMap<>();
            links.put("added", number(row, "links_added"));
            links.put("removed", number(row, "links_removed"));
            Map<String, Object> counts = new LinkedHashMap<>();
            counts.put("users", changes(row, "users"));
            counts.put("warehouses", changes(row, "warehouses"));
            counts.put("links", links);
            answer.put("counts", counts);
        }
        return answer;
    }

    /** The answer of GET /api/synlast: the rows oldest first, each shaped like {@link #run}. */
    public Map<String, Object> runs(@Body List<Map<String, Object>> rows) {
        return Map.of("data", rows.stream().map(this::run).toList());
    }

    /**
     * An error answer built from the failure itself: for a sync that never became a run (it
     * waited too long for its turn, or the database was down), or whose row cannot be read now.
     */
    public Map<String, Object> error(@Body SyncError error, @Variable("runId") Object runId,
                                     @Variable("trigger") String trigger) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("response", "error");
        answer.put("date", format(error.getFailedAt().toInstant()));
        answer.put("data", errorData(error.getReason(), error.getStage(), error.getMessage()));
        if (runId != null) {
            answer.put("run_id", runId);
        }
        if (trigger != null) {
            answer.put("trigger", trigger);
        }
        return answer;
    }

    /** ISO-8601 UTC with milliseconds, the form of every date in our answers. */
    public static String format(Instant instant) {
        return instant == null ? null : ISO_MILLIS.format(instant);
    }

    private static Map<String, Object> errorData(String reason, String stage, String message) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("reason", reason);
        data.put("stage", stage);
        data.put("message", message);
        return data;
    }

    private static Map<String, Object> changes(Map<String, Object> row, String entity) {
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("inserted", number(row, entity + "_inserted"));
        counts.put("updated", number(row, entity + "_updated"));
        counts.put("unchanged", number(row, entity + "_unchanged"));
        return counts;
    }

    private static long number(Map<String, Object> row, String column) {
        return row.get(column) instanceof Number n ? n.longValue() : 0;
    }

    private static Instant instant(Object value) {
        if (value instanceof Timestamp ts) {
            return ts.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        return value instanceof Instant i ? i : null;
    }
}
