package co.soukosync.sync;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Lets one sync run at a time, in this process (a semaphore) and across the replicas on the
 * database ({@link RunLock}). A scheduled fire finds the gate busy and is skipped; a call waits
 * its turn for a bounded time; a cast waits as long as it takes, and casts that arrive while one
 * is pending join it instead of queueing another run. Both are given back when the exchange
 * that took them completes, after its history row is written.
 */
@Component("syncGate")
public class SyncGate {

    private final Semaphore permit = new Semaphore(1, true);
    private final AtomicBoolean castPending = new AtomicBoolean();
    private final Duration callWait;
    private final RunLock runLock;

    SyncGate(@Value("${soukosync.sync.call-wait-seconds:60}") long callWaitSeconds, RunLock runLock) {
        this.callWait = Duration.ofSeconds(callWaitSeconds);
        this.runLock = runLock;
    }

    /**
     * Admits the run of this exchange (its trigger is in the variable "trigger").
     *
     * @return false for a scheduled fire while a run is in progress
     * @throws SyncBusyException when a call waited longer than it may
     */
    public boolean enter(Exchange exchange) throws InterruptedException, SQLException {
        String trigger = exchange.getVariable("trigger", String.class);
        long deadline = System.nanoTime() + callWait.toNanos();
        boolean admitted = switch (trigger == null ? "" : trigger) {
            case "schedule" -> permit.tryAcquire();
            case "call" -> permit.tryAcquire(callWait.toMillis(), TimeUnit.MILLISECONDS);
            case "cast" -> {
                permit.acquire();
                castPending.set(false);
                yield true;
            }
            default -> throw new IllegalArgumentException("unknown sync trigger: " + trigger);
        };
        AutoCloseable lock = null;
        if (admitted) {
            try {
                lock = runLock.acquire(switch (trigger) {
                    case "schedule" -> Duration.ZERO;
                    case "call" -> Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
                    default -> null;
                });
            } catch (SQLException | RuntimeException e) {
                permit.release();
                throw e;
            }
            if (lock == null) {
                permit.release();
                admitted = false;
            }
        }
        if (!admitted) {
            if ("call".equals(trigger)) {
                throw new SyncBusyException(callWait);
            }
            return false;
        }
        AutoCloseable held = lock;
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                try {
                    held.close();
                } catch (Exception e) {
                    // RunLock.release never throws; the permit must be given back regardless
                } finally {
                    permit.release();
                }
            }
        });
        return true;
    }

    /** True when this cast queues a run; false when it joins a cast already pending. */
    public boolean offerCast() {
        return castPending.compareAndSet(false, true);
    }
}
