package co.soukosync.sync;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Lets one sync run at a time. A scheduled fire finds the gate busy and is skipped; a call waits
 * its turn for a bounded time; a cast waits as long as it takes, and casts that arrive while one
 * is pending join it instead of queueing another run. The permit is given back when the
 * exchange that took it completes, after its history row is written.
 */
@Component("syncGate")
public class SyncGate {

    private final Semaphore permit = new Semaphore(1, true);
    private final AtomicBoolean castPending = new AtomicBoolean();
    private final Duration callWait;
    private final OffsetDateTime openedAt = OffsetDateTime.now(ZoneOffset.UTC);

    SyncGate(@Value("${soukosync.sync.call-wait-seconds:60}") long callWaitSeconds) {
        this.callWait = Duration.ofSeconds(callWaitSeconds);
    }

    /**
     * Admits the run of this exchange (its trigger is in the variable "trigger").
     *
     * @return false for a scheduled fire while a run is in progress
     * @throws SyncBusyException when a call waited longer than it may
     */
    public boolean enter(Exchange exchange) throws InterruptedException {
        String trigger = exchange.getVariable("trigger", String.class);
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
        if (!admitted) {
            if ("call".equals(trigger)) {
                throw new SyncBusyException(callWait);
            }
            return false;
        }
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                permit.release();
            }
        });
        return true;
    }

    /** When this process opened the gate: every run of this process started after it. */
    public OffsetDateTime getOpenedAt() {
        return openedAt;
    }

    /** True when this cast queues a run; false when it joins a cast already pending. */
    public boolean offerCast() {
        return castPending.compareAndSet(false, true);
    }

    /** Undoes {@link #offerCast()} when the cast could not be queued after all. */
    public void withdrawCast() {
        castPending.set(false);
    }
}
