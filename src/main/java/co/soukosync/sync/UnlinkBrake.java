package co.soukosync.sync;

import org.apache.camel.Variable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The brake on mass unlinking: a run that would remove more than SYNC_MAX_UNLINK_PERCENT of
 * the user's links, when the user has at least soukosync.sync.brake-min-links of them, fails as
 * suspicious_shrink and writes nothing, the classic case being an upstream that answers an
 * empty list for a user who had 40 warehouses. A forced call applies it once; a dry run only
 * says that the brake would hold.
 */
@Component("unlinkBrake")
public class UnlinkBrake {

    private final int maxPercent;
    private final long minLinks;

    UnlinkBrake(@Value("${soukosync.sync.max-unlink-percent}") int maxPercent,
                @Value("${soukosync.sync.brake-min-links}") long minLinks) {
        this.maxPercent = maxPercent;
        this.minLinks = minLinks;
    }

    public void check(@Variable("run") SyncRun run) {
        long before = run.getCounts().getLinksBefore();
        long removed = run.getCounts().getLinksRemoved();
        if (before < minLinks || removed * 100 <= before * maxPercent || run.isForce()) {
            return;
        }
        String message = "the run would remove " + removed + " of the user's " + before + " links ("
                + Math.round(removed * 100.0 / before) + " %, more than SYNC_MAX_UNLINK_PERCENT=" + maxPercent
                + " %); if the upstream is right, apply it once with PATCH /api/syncall?force=true";
        if (run.isDryRun()) {
            run.setBrake(message);
            return;
        }
        throw new SyncFailure("suspicious_shrink", "verify", message);
    }
}
