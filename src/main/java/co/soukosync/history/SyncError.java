package co.soukosync.history;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** Why a run failed: a reason word, the stage that failed and one line for people. */
public final class SyncError {

    private final String reason;
    private final String stage;
    private final String message;
    private final String tokenFollowUp;
    private final OffsetDateTime failedAt = OffsetDateTime.now(ZoneOffset.UTC);

    public SyncError(String reason, String stage, String message) {
        this(reason, stage, message, null);
    }

    SyncError(String reason, String stage, String message, String tokenFollowUp) {
        this.reason = reason;
        this.stage = stage;
        this.message = message;
        this.tokenFollowUp = tokenFollowUp;
    }

    SyncError withMessage(String newMessage) {
        return new SyncError(reason, stage, newMessage, tokenFollowUp);
    }

    /**
     * What the token store should do after this failure: "refused" when the upstream refused
     * the credentials, "retry" when a password grant failed on the network, else null.
     */
    public String getTokenFollowUp() {
        return tokenFollowUp;
    }

    public String getReason() {
        return reason;
    }

    public String getStage() {
        return stage;
    }

    public String getMessage() {
        return message;
    }

    public OffsetDateTime getFailedAt() {
        return failedAt;
    }

    /** The parameters of run-finish-error.sql for the run that failed now. */
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
