package co.soukosync.upstream;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Future;
import org.apache.camel.Exchange;
import org.apache.camel.Ordered;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * One upstream request in flight ({@link UpstreamCalls}): its deadline, the cut that aborts its
 * connection there, and what a read that failed because of the cut is called.
 */
final class UpstreamCall {

    private final Runnable abort;
    private final Instant deadline;
    private final boolean runDeadline;
    private final Clock clock;
    private volatile Future<?> cut;
    private volatile boolean wasCut;
    private volatile boolean whole;

    UpstreamCall(Runnable abort, Instant deadline, boolean runDeadline, Clock clock) {
        this.abort = abort;
        this.deadline = deadline;
        this.runDeadline = runDeadline;
        this.clock = clock;
    }

    Instant deadline() {
        return deadline;
    }

    void arm(Future<?> scheduledCut) {
        this.cut = scheduledCut;
    }

    /** The deadline has come: the connection goes, and whatever reads it now fails. */
    void cut() {
        if (!whole) {
            wasCut = true;
            abort.run();
        }
    }

    /** The answer was read to its end, in time: the connection went back to the pool. */
    void whole() {
        whole = true;
        disarm();
    }

    /**
     * Drops the connection unless the answer was read to its end (then it is back in the pool and
     * this does nothing): an answer abandoned half-way may be the slow one, and reading it out
     * would take as long.
     */
    void drop() {
        disarm();
        if (!whole) {
            abort.run();
        }
    }

    /** Fails a read at or after the deadline, even one that would still have had data. */
    void check() throws IOException {
        if (wasCut || !clock.instant().isBefore(deadline)) {
            throw exceeded(null);
        }
    }

    /** A read failed: because of the deadline (the cut closed the socket), or on its own. */
    IOException explain(IOException failure) {
        if (failure instanceof DeadlineInputStream.CallDeadlineExceeded
                || failure instanceof DeadlineInputStream.RunDeadlineExceeded) {
            return failure;
        }
        return wasCut || !clock.instant().isBefore(deadline) ? exceeded(failure) : failure;
    }

    /**
     * Run first when the exchange is done, before camel-http consumes the answer (which would
     * read the rest of it) and before the run's gate is given back.
     */
    Synchronization dropOnCompletion() {
        return new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange exchange) {
                drop();
            }

            @Override
            public int getOrder() {
                return Ordered.HIGHEST;
            }

            // dropped when the run's own exchange is done, not when some exchange it handed work
            // to (a history row queued while the database is away) is
            @Override
            public boolean allowHandover() {
                return false;
            }
        };
    }

    private IOException exceeded(IOException cause) {
        IOException exceeded = runDeadline
                ? new DeadlineInputStream.RunDeadlineExceeded()
                : new DeadlineInputStream.CallDeadlineExceeded();
        if (cause != null) {
            exceeded.initCause(cause);
        }
        return exceeded;
    }

    private void disarm() {
        Future<?> scheduled = cut;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }
}
