package co.soukosync.history;

import co.soukosync.db.SqlFiles;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The newest seq of the change feed, for those who wait for it (GET /api/changes?wait=S). While
 * anyone waits, one thread reads the counter row (sql/changes-head.sql) every
 * {@value #POLL_MS} ms, whichever replica's run moved it, and wakes the waiters it concerns;
 * nobody holds a database connection while waiting, and a hundred waiters cost the database
 * what one does. Nobody waiting: no reads. Stopping the service releases the waiters at once
 * (their answers are empty), so that a long poll never holds up a graceful stop.
 */
@Component("changesHead")
public class ChangesHead implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ChangesHead.class);
    static final long POLL_MS = 200;
    private static final long UNKNOWN = Long.MIN_VALUE;

    private final JdbcTemplate jdbc;
    private final String query = SqlFiles.read("changes-head.sql");
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "changes-head");
        thread.setDaemon(true);
        return thread;
    });

    // guarded by this
    private long head = UNKNOWN;
    private int waiting;
    private ScheduledFuture<?> polling;
    private boolean running;

    ChangesHead(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Waits until a change with a seq after {@code after} has committed (true), or {@code wait}
     * has passed, or the service stops (false).
     */
    public boolean awaitAfter(long after, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (this) {
            if (!running) {
                return false;
            }
            if (waiting++ == 0) {
                // what was read while the last waiter waited may be old: read again first
                head = UNKNOWN;
                polling = poller.scheduleWithFixedDelay(this::poll, 0, POLL_MS, TimeUnit.MILLISECONDS);
            }
            try {
                while (running && (head == UNKNOWN || head <= after)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
                return running;
            } finally {
                if (--waiting == 0) {
                    polling.cancel(false);
                    polling = null;
                }
            }
        }
    }

    /** How many wait now. */
    public synchronized int waiting() {
        return waiting;
    }

    private void poll() {
        Long last;
        try {
            last = jdbc.queryForObject(query, (row, n) -> row.getLong("last_seq"));
        } catch (DataAccessException e) {
            // the database is away: the waiters wait on, and answer empty at their deadline
            log.debug("Could not read the change feed's newest seq: {}", e.getMessage());
            return;
        }
        synchronized (this) {
            head = last;
            notifyAll();
        }
    }

    @Override
    public synchronized void start() {
        running = true;
    }

    @Override
    public synchronized void stop() {
        running = false;
        notifyAll();
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    /** Stops among the first, before the web server waits for the requests in progress. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
