package co.soukosync.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A run as the API answers it, in the original service's shape ("response", "date", "data":
 * "N upserted" or the error) with what Soukosync adds: the run's id, trigger, timing, counts,
 * receipt, and for a dry run what it would change.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunAnswer(
        String response,
        String date,
        Object data,
        @JsonProperty("run_id") Long runId,
        String trigger,
        @JsonProperty("dry_run") Boolean dryRun,
        Boolean forced,
        @JsonProperty("started_at") String startedAt,
        @JsonProperty("duration_ms") Long durationMs,
        @JsonProperty("user_id") Long userId,
        Counts counts,
        Verified verified,
        Preview changes,
        List<Warning> warnings) {

    /** Why a run failed. */
    public record ErrorData(String reason, String stage, String message) {}

    public record Counts(Changes users, Changes warehouses, Links links) {}

    public record Changes(long inserted, long updated, long unchanged) {}

    public record Links(long added, long removed) {}

    /** The receipt: how many warehouses and links were checked against the upstream before the commit. */
    public record Verified(long warehouses, long links) {}

    /** A dry run's first changes (as GET /api/runs/{id}/changes would list them), and whether there are more. */
    public record Preview(JsonItems data, boolean more) {}

    /** Something a dry run found that a real run would fail on. */
    public record Warning(String reason, String message) {}

    public boolean ok() {
        return "ok".equals(response);
    }

    public boolean isDryRun() {
        return Boolean.TRUE.equals(dryRun);
    }

    public String reason() {
        return data instanceof ErrorData error ? error.reason() : null;
    }
}
