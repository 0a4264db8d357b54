package co.soukosync.history;

import java.util.Map;

/** Why a run failed: a reason word, the stage that failed and one line for people. */
public final class SyncError {

    private final String reason;
    private final String stage;
    private final String message;

    public SyncError(String reason, String stage, String message) {
        this.reason = reason;
        this.stage = stage;
        this.message = message;
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

    /** The parameters of run-finish-error.sql. */
    public Map<String, Object> asParams() {
        return Map.of("reason", reason, "stage", stage, "message", message);
    }
}
