package co.soukosync.sync;

import co.soukosync.config.SoukosyncProperties;
import co.soukosync.sync.SyncRun.Trigger;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.camel.Ordered;
import org.apache.camel.support.SynchronizationAdapter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Lets one sync run at a time, in this process (a semaphore) and across the replicas on the
 * database ({@link RunLock}). Each trigger asks for what it needs: the schedule
 * {@link #tryEnter}s and is skipped when a run is in progress; a call {@link #enterWithin}s
 * its bounded wait; a cast is {@link #enqueue}d, joins a cast already pending, and
 * {@link #enterQueued} waits as long as it takes. What a run took is given back when its
 * exchange completes, after its history row is written (or, with the database away, queued
 * to be written: the gate does not wait for that).
 */
@Component("syncGate")
public class SyncGate {

    private final Semaphore permit = new Semaphore(1, true);
    private final AtomicBoolean castPending = new AtomicBoolean();
    private final Duration callWait;
    private final Duration runLimit;
    private final Duration callLimit;
    private final RunLock runLock;
    private final boolean changeLog;
    private final Clock clock = Clock.systemUTC();

    @Autowired
    SyncGate(SoukosyncProperties properties, RunLock runLock) {
        this(properties.sync().callWaitSeconds(), properties.sync().runDeadlineSeconds(),
                properties.upstream().callDeadlineSeconds(), properties.history().changeLog(), runLock);
    }

    SyncGate(long callWaitSeconds, long runDeadlineSeconds, long callDeadlineSeconds, boolean changeLog, RunLock runLock) {
        this.changeLog = changeLog;
        this.callWait = Duration.ofSeconds(callWaitSeconds);
        this.runLimit = Duration.ofSeconds(runDeadlineSeconds);
        this.callLimit = Duration.ofSeconds(callDeadlineSeconds);
        this.runLock = runLock;
    }

    /** A scheduled run, admitted now or not at all. @return null when a run is in progress anywhere */
    public SyncRun tryEnter(Exchange exchange) throws SQLException {
        if (!permit.tryAcquire()) {
            return null;
        }
        return admit(exchange, new SyncRun(Trigger.schedule, false, false, runLimit, callLimit, changeLog, clock), Duration.ZERO);
    }

    /** A called run, admitted within SYNC_CALL_WAIT_SECONDS. @throws SyncBusyException past that wait */
    public SyncRun enterWithin(Exchange exchange, RunRequest request) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + callWait.toNanos();
        if (!permit.tryAcquire(callWait.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new SyncBusyException(callWait);
        }
        SyncRun run = admit(exchange, new SyncRun(Trigger.call, request.dryRun(), request.force(), runLimit, callLimit, changeLog, clock),
                Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
        if (run == null) {
            throw new SyncBusyException(callWait);
        }
        return run;
    }

    /** True when this cast queues a run; false when it joins a cast already pending. */
    public boolean enqueue() {
        return castPending.compareAndSet(false, true);
    }

    /** The queued cast's run, admitted once the runs before it are done, however long that takes. */
    public SyncRun enterQueued(Exchange exchange) throws SQLException, InterruptedException {
        permit.acquire();
        castPending.set(false);
        return admit(exchange, new SyncRun(Trigger.cast, false, false, runLimit, callLimit, changeLog, clock), null);
    }

    private SyncRun admit(Exchange exchange, SyncRun run, Duration lockWait) throws SQLException {
        RunLock.Held lock;
        try {
            lock = runLock.acquire(lockWait);
        } catch (SQLException | RuntimeException e) {
            permit.release();
            throw e;
        }
        if (lock == null) {
            permit.release();
            return null;
        }
        run.setLock(lock.key(), lock.backendPid());
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            // the gate belongs to the run's exchange: an exchange it hands work to without
            // waiting (a failure row queued on seda:history-retry while the database is away)
            // must not take the gate along and hold it until the database is back
            @Override
            public boolean allowHandover() {
                return false;
            }

            @Override
            public void onDone(Exchange done) {
                try {
                    lock.close();
                } finally {
                    permit.release();
                }
            }

            // before the clean-ups of the run's steps (camel-http's, which reads what is left of
            // an answer, above all): the next run never waits for an upstream socket. Only the
            // upstream calls' own clean-up, which drops their connections, comes first.
            @Override
            public int getOrder() {
                return Ordered.HIGHEST + 1;
            }
        });
        return run;
    }

    /** What a caller asks of its run. */
    public record RunRequest(boolean dryRun, boolean force) {}
}
