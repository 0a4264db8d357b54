package co.soukosync.sync;

import java.time.Duration;

/** A call waited for the run in progress longer than soukosync.sync.call-wait-seconds. */
public class SyncBusyException extends RuntimeException {

    public SyncBusyException(Duration waited) {
        super("another sync was still running after " + waited.toSeconds() + " s of waiting");
    }
}
