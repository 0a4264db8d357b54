package co.soukosync.history;

import java.util.Map;

/** Why a run failed: a reason word, the stage that failed and one line for people. */
public final class SyncError {

    private final String reason;
    private final String stage;
    private final String message;
    private final String tokenFollowUp;

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

    /** The parameters of run-finish-error.sql. */
    public Map<String, Object> asParams() {
        return Map.of("reason", reason, "stage", stage, "message", message);
    }
}
