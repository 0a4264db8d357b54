package co.soukosync.sync;

import co.soukosync.config.SoukosyncProperties;
import java.util.Map;
import org.apache.camel.Variable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The brake on mass unlinking: a run fails as suspicious_shrink and writes nothing when it would
 * <ul>
 * <li>remove more than SYNC_MAX_UNLINK_PERCENT of the links the user has now, when they are at
 * least soukosync.sync.brake-min-links (the classic case: an upstream that answers an empty list
 * for a user who had 40 warehouses), or</li>
 * <li>leave the user fewer than (100 - SYNC_MAX_UNLINK_PERCENT) % of the most links the user had
 * at the end of an ok run within the last SYNC_UNLINK_WINDOW_HOURS, when that most was at least
 * brake-min-links (sql/unlink-reference.sql). Measured against the run before alone, a series of
 * runs, each under the limit, would walk the mirror down to nothing: 100, 60, 36, 22, 13, 8, 0.</li>
 * </ul>
 * A forced call applies it once, and its count is where later runs are measured from; a dry run
 * only says that the brake would hold.
 */
@Component("unlinkBrake")
public class UnlinkBrake {

    private static final String APPLY = "; if the upstream is right, apply it once with PATCH /api/syncall?force=true";

    private final int maxPercent;
    private final long minLinks;
    private final long windowHours;

    @Autowired
    UnlinkBrake(SoukosyncProperties properties) {
        this(properties.sync().maxUnlinkPercent(), properties.sync().brakeMinLinks(), properties.sync().unlinkWindowHours());
    }

    UnlinkBrake(int maxPercent, long minLinks, long windowHours) {
        this.maxPercent = maxPercent;
        this.minLinks = minLinks;
        this.windowHours = windowHours;
    }

    /** The parameters of unlink-reference.sql: the run's user and the window. */
    public Map<String, Object> referenceQuery(@Variable("run") SyncRun run) {
        return Map.of("userId", run.getUserId(), "unlinkWindowHours", windowHours);
    }

    /**
     * Stops the run when the brake holds, unless it is forced; a dry run gets a warning instead.
     *
     * @param lately the most links the user had at the end of an ok run of the window (0: none)
     */
    public void check(@Variable("run") SyncRun run, @Variable("linksLately") Number lately) {
        RunCounts counts = run.getCounts();
        String held = holds(counts.getLinksBefore(), counts.getLinksRemoved(), counts.getLinksAfter(),
                lately == null ? 0 : lately.longValue());
        if (held == null || run.isForce()) {
            return;
        }
        if (run.isDryRun()) {
            run.setBrake(held);
            return;
        }
        throw new SyncFailure("suspicious_shrink", "verify", held);
    }

    /**
     * Why a run that finds {@code before} links, removes {@code removed} and leaves {@code after}
     * must be stopped, or null when it may go on.
     */
    String holds(long before, long removed, long after, long lately) {
        if (before >= minLinks && removed * 100 > before * maxPercent) {
            return "the run would remove " + removed + " of the user's " + before + " links ("
                    + Math.round(removed * 100.0 / before) + " %, more than SYNC_MAX_UNLINK_PERCENT=" + maxPercent + " %)" + APPLY;
        }
        // links written by hand since (no run recorded them) are the user's too
        long reference = Math.max(before, lately);
        long lost = reference - after;
        if (reference >= minLinks && lost * 100 > reference * maxPercent) {
            return "the run would leave " + after + " of the " + reference + " links the user had within the last "
                    + windowHours + " h (" + Math.round(lost * 100.0 / reference) + " % fewer, more than SYNC_MAX_UNLINK_PERCENT="
                    + maxPercent + " %)" + APPLY;
        }
        return null;
    }
}
