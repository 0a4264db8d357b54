package co.soukosync.sync;

import co.soukosync.sync.SyncRun.Trigger;
import java.time.Clock;
import java.time.Duration;

/** Runs made by hand, for route tests that start a route in the middle of a run (SyncRun's constructor is sync's). */
public final class SyncRuns {

    private SyncRuns() {
    }

    /** A call's run about to call the upstream at this path, at this stage, with this long left. */
    public static SyncRun calling(String stage, String path, Duration left) {
        SyncRun run = new SyncRun(Trigger.call, false, false, left, Duration.ofMinutes(1), true, Clock.systemUTC());
        run.calling(stage, path);
        return run;
    }
}
