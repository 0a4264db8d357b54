package co.soukosync.sync;

import co.soukosync.upstream.StagedFailure;

/**
 * A run that the store itself refuses to commit, with the reason word and stage of its
 * history row: the receipt did not match (mismatch), the brake on mass unlinking held
 * (suspicious_shrink), or the run lost its lock (db_error).
 */
public class SyncFailure extends RuntimeException implements StagedFailure {

    private final String reason;
    private final String stage;

    SyncFailure(String reason, String stage, String message) {
        super(message);
        this.reason = reason;
        this.stage = stage;
    }

    public String reason() {
        return reason;
    }

    @Override
    public String stage() {
        return stage;
    }
}
