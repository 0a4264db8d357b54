package co.soukosync.sync;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** Why a run failed: a reason word, the stage that failed, one line for people, and when. */
public record SyncError(String reason, String stage, String message, OffsetDateTime failedAt) {

    public SyncError(String reason, String stage, String message) {
        this(reason, stage, message, OffsetDateTime.now(ZoneOffset.UTC));
    }

    SyncError withMessage(String newMessage) {
        return new SyncError(reason, stage, newMessage, failedAt);
    }

    /** The parameters of run-finish-error.sql for this run's failure. */
    public Map<String, Object> asParams(Object runId) {
        Map<String, Object> params = new HashMap<>();
        params.put("runId", runId);
        params.put("reason", reason);
        params.put("stage", stage);
        params.put("message", message);
        params.put("failedAt", failedAt);
        return params;
    }
}
