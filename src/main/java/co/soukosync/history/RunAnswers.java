package co.soukosync.history;

import co.soukosync.history.RunAnswer.Changes;
import co.soukosync.history.RunAnswer.Counts;
import co.soukosync.history.RunAnswer.ErrorData;
import co.soukosync.history.RunAnswer.Links;
import co.soukosync.history.RunAnswer.Preview;
import co.soukosync.history.RunAnswer.Verified;
import co.soukosync.history.RunAnswer.Warning;
import co.soukosync.sync.SyncError;
import co.soukosync.sync.SyncRun;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/** Turns history rows (sync_runs) and failures into {@link RunAnswer}s. */
@Component("runAnswers")
public class RunAnswers {

    /** A run's row, as PATCH /api/syncall, GET /api/synlast and GET /api/runs/{id} answer it. */
    public RunAnswer run(@Variable("runRow") Map<String, Object> row, @Variable("run") SyncRun run) {
        RunAnswer answer = of(row);
        if (run != null) {
            run.answered(answer.response());
        }
        if (run == null || !run.isDryRun() || !answer.ok()) {
            return answer;
        }
        Preview preview = run.getPreview() == null ? null : new Preview(previewJson(run.getPreview()), run.getPreview().size() > PREVIEW);
        List<Warning> warnings = run.getBrake() == null ? null : List.of(new Warning("suspicious_shrink", run.getBrake()));
        return new RunAnswer(answer.response(), answer.date(), answer.data(), answer.runId(), answer.trigger(), answer.dryRun(),
                answer.forced(), answer.startedAt(), answer.durationMs(), answer.userId(), answer.counts(), answer.verified(),
                preview, warnings);
    }

    /** The parameters of run-changes.sql for a dry run's first changes (one more tells that there are more). */
    public Map<String, Object> previewQuery(@Variable("run") SyncRun run) {
        return Map.of("runId", run.getId(), "limit", PREVIEW + 1, "afterSection", 0, "afterId", -1L);
    }

    /** How many changes a dry run shows. */
    public static final int PREVIEW = 100;

    /** The answer of GET /api/runs/{id}: the one row found (api-find-run answers 404 otherwise). */
    public RunAnswer one(@Body List<Map<String, Object>> rows) {
        return of(rows.get(0));
    }

    /** {"data": [runs]}, oldest first. */
    public Map<String, Object> runs(@Body List<Map<String, Object>> rows) {
        return Map.of("data", rows.stream().map(RunAnswers::of).toList());
    }

    /**
     * An answer built from the failure itself: for a sync that never became a run (it waited too
     * long for its turn), or whose row cannot be read now (the database is away).
     */
    public RunAnswer failure(@Variable("run") SyncRun run, @Body SyncError error) {
        return new RunAnswer("error", Dates.iso(error.failedAt().toInstant()),
                new ErrorData(error.reason(), error.stage(), error.message()),
                run == null ? null : run.getId(), run == null ? null : run.getTrigger().name(),
                null, null, null, null, null, null, null, null, null);
    }

    static RunAnswer of(Map<String, Object> row) {
        Instant started = instant(row.get("started_at"));
        Instant finished = instant(row.get("finished_at"));
        boolean ok = "ok".equals(row.get("outcome"));
        boolean dry = Boolean.TRUE.equals(row.get("dry_run"));
        if ("running".equals(row.get("outcome"))) {
            // GET /api/runs/{id} of a run in progress: when it started, and that it is not done
            return new RunAnswer("running", Dates.iso(Instant.now()), "the run is in progress", ((Number) row.get("id")).longValue(),
                    (String) row.get("trigger"), dry ? Boolean.TRUE : null, null, Dates.iso(started), null, null, null, null, null, null);
        }
        Object data;
        Counts counts = null;
        Verified verified = null;
        if (ok) {
            counts = new Counts(changes(row, "users"), changes(row, "warehouses"),
                    new Links(number(row, "links_added"), number(row, "links_removed")));
            long upserted = total(counts.users()) + total(counts.warehouses());
            data = dry ? upserted + " upserted (dry run: rolled back, nothing written)" : upserted + " upserted";
            if (row.get("verified_warehouses") != null) {
                verified = new Verified(number(row, "verified_warehouses"), number(row, "verified_links"));
            }
        } else {
            data = new ErrorData((String) row.get("error_reason"), (String) row.get("error_stage"), (String) row.get("error_message"));
        }
        return new RunAnswer(ok ? "ok" : "error", Dates.iso(finished), data, ((Number) row.get("id")).longValue(),
                (String) row.get("trigger"), dry ? Boolean.TRUE : null, Boolean.TRUE.equals(row.get("forced")) ? Boolean.TRUE : null,
                Dates.iso(started), started == null || finished == null ? null : Duration.between(started, finished).toMillis(),
                ok && row.get("user_id") instanceof Number id ? id.longValue() : null, counts, verified, null, null);
    }

    private static JsonItems previewJson(List<Map<String, Object>> items) {
        return new JsonItems(items.stream().limit(PREVIEW).map(item -> (String) item.get("item")).toList());
    }

    private static Changes changes(Map<String, Object> row, String entity) {
        return new Changes(number(row, entity + "_inserted"), number(row, entity + "_updated"), number(row, entity + "_unchanged"));
    }

    private static long total(Changes changes) {
        return changes.inserted() + changes.updated() + changes.unchanged();
    }

    private static long number(Map<String, Object> row, String column) {
        return row.get(column) instanceof Number n ? n.longValue() : 0;
    }

    private static Instant instant(Object value) {
        if (value instanceof Timestamp ts) {
            return ts.toInstant();
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        return value instanceof Instant i ? i : null;
    }
}
