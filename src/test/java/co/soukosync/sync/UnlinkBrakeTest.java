package co.soukosync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.soukosync.sync.SyncRun.Trigger;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rule of the brake on mass unlinking (SYNC_MAX_UNLINK_PERCENT=50, 10 links at least, a
 * window of 24 h): a run is measured against the user's links now and against the most links the
 * user had lately, so that a walk down in small steps is stopped like one big step.
 */
class UnlinkBrakeTest {

    private final UnlinkBrake brake = new UnlinkBrake(50, 10, 24);

    @Test
    void aWalkDownInStepsUnderTheLimitIsStoppedOnceTheUserHasLessThanHalfOfTheWindowsMaximum() {
        // before, removed, after, the most links of the window
        assertThat(brake.holds(100, 40, 60, 100)).isNull();
        assertThat(brake.holds(60, 24, 36, 100)).isEqualTo("the run would leave 36 of the 100 links the user had "
                + "within the last 24 h (64 % fewer, more than SYNC_MAX_UNLINK_PERCENT=50 %); if the upstream is right, "
                + "apply it once with PATCH /api/syncall?force=true");
        // every step of 100 -> 60 -> 36 -> 22 -> 13 -> 8 -> 0 after the first is under half of 100
        long[] walk = {100, 60, 36, 22, 13, 8, 0};
        for (int i = 2; i < walk.length; i++) {
            assertThat(brake.holds(walk[i - 1], walk[i - 1] - walk[i], walk[i], 100)).as("to " + walk[i]).isNotNull();
        }
    }

    @Test
    void exactlyHalfOfTheReferenceIsStillAllowed() {
        assertThat(brake.holds(60, 10, 50, 100)).isNull();
        assertThat(brake.holds(60, 11, 49, 100)).isNotNull();
    }

    @Test
    void theMinimumIsTheReferencesNotTheCurrentCount() {
        assertThat(brake.holds(8, 8, 0, 0)).as("a few links, and never more lately").isNull();
        assertThat(brake.holds(8, 8, 0, 9)).isNull();
        assertThat(brake.holds(8, 8, 0, 12)).contains("0 of the 12 links");
    }

    @Test
    void oneRunThatRemovesMoreThanHalfOfTheLinksNowIsStoppedAsBefore() {
        assertThat(brake.holds(40, 40, 0, 40)).isEqualTo("the run would remove 40 of the user's 40 links (100 %, more than "
                + "SYNC_MAX_UNLINK_PERCENT=50 %); if the upstream is right, apply it once with PATCH /api/syncall?force=true");
        // a swap: as many removed as added
        assertThat(brake.holds(100, 60, 100, 100)).contains("remove 60 of the user's 100 links");
        // links that no run recorded (written by hand) count as the user's links now
        assertThat(brake.holds(15, 10, 5, 5)).contains("remove 10 of the user's 15 links");
        // a growing user is measured against what it has now
        assertThat(brake.holds(200, 0, 200, 100)).isNull();
    }

    @Test
    void aDryRunOnlyWarnsAForcedRunPassesAndAnyOtherFails() {
        SyncRun dry = run(false, true);
        brake.check(dry, 100);
        assertThat(dry.getBrake()).contains("36 of the 100 links");

        SyncRun forced = run(true, false);
        brake.check(forced, 100);
        assertThat(forced.getBrake()).isNull();

        assertThatThrownBy(() -> brake.check(run(false, false), 100)).isInstanceOf(SyncFailure.class)
                .satisfies(e -> assertThat(((SyncFailure) e).reason()).isEqualTo("suspicious_shrink"))
                .satisfies(e -> assertThat(((SyncFailure) e).stage()).isEqualTo("verify"));
        // nothing recorded lately: measured against the links now only (24 of 60 removed)
        brake.check(run(false, false), null);
    }

    /** A run that found 60 links, added none and removed 24. */
    private static SyncRun run(boolean force, boolean dryRun) {
        SyncRun run = new SyncRun(Trigger.call, dryRun, force, Duration.ofMinutes(10), Duration.ofMinutes(1), true,
                Clock.systemUTC());
        run.getCounts().warehouses(Map.of("inserted", 0, "updated", 0, "total", 36, "links_added", 0));
        run.getCounts().unlinked(Map.of("removed", 24, "linked", 60));
        return run;
    }
}
