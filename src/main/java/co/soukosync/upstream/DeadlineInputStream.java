package co.soukosync.upstream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Instant;
import org.apache.hc.core5.http.io.EofSensorInputStream;

/**
 * An upstream answer that must be whole by a deadline. The HTTP client's timeouts bound each
 * read, so an answer dripped one byte at a time would never end; this ends it at the call's
 * deadline (retried like any timeout) or at the run's (not retried: the run is over).
 */
public final class DeadlineInputStream extends FilterInputStream {

    /** The call took longer than HTTP_CALL_DEADLINE_SECONDS. */
    public static final class CallDeadlineExceeded extends SocketTimeoutException {
        CallDeadlineExceeded() {
            super("the upstream answer was not whole within its deadline");
        }
    }

    /** The run took longer than SYNC_RUN_DEADLINE_SECONDS. */
    public static final class RunDeadlineExceeded extends InterruptedIOException {
        public RunDeadlineExceeded() {
            super("the run took longer than its deadline");
        }
    }

    private final Instant callDeadline;
    private final Instant runDeadline;
    private final Clock clock;

    DeadlineInputStream(InputStream in, Instant callDeadline, Instant runDeadline, Clock clock) {
        super(in);
        this.callDeadline = callDeadline;
        this.runDeadline = runDeadline;
        this.clock = clock;
    }

    @Override
    public int read() throws IOException {
        check();
        int b = super.read();
        check();
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        check();
        int n = super.read(buffer, offset, length);
        check();
        return n;
    }

    /**
     * Drops the connection rather than reading the rest of the answer to reuse it: an answer that
     * is abandoned half-way may be the slow one, and reading it out would take as long.
     */
    @Override
    public void close() throws IOException {
        if (in instanceof EofSensorInputStream sensor) {
            sensor.abort();
        } else {
            super.close();
        }
    }

    private void check() throws IOException {
        Instant now = clock.instant();
        if (!now.isBefore(runDeadline)) {
            throw new RunDeadlineExceeded();
        }
        if (!now.isBefore(callDeadline)) {
            throw new CallDeadlineExceeded();
        }
    }
}
