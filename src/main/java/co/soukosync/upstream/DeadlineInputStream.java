package co.soukosync.upstream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * An upstream answer that must be whole by its call's deadline ({@link UpstreamCalls}). The cut
 * at the deadline aborts the connection; a read then fails as {@link CallDeadlineExceeded}
 * (retried like any timeout) or {@link RunDeadlineExceeded} (not retried: the run is over), not
 * as the closed socket it meets. Closed before its end, the answer's connection is dropped rather
 * than read out.
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

    /** An answer's entity whose every reader reads through a {@link DeadlineInputStream}, camel-http's included. */
    static final class Entity extends HttpEntityWrapper {

        private final UpstreamCall call;

        Entity(HttpEntity answer, UpstreamCall call) {
            super(answer);
            this.call = call;
        }

        @Override
        public InputStream getContent() throws IOException {
            try {
                return new DeadlineInputStream(super.getContent(), call);
            } catch (IOException e) {
                throw call.explain(e);
            }
        }

        @Override
        public void close() throws IOException {
            call.drop();
            super.close();
        }
    }

    private final UpstreamCall call;

    DeadlineInputStream(InputStream in, UpstreamCall call) {
        super(in);
        this.call = call;
    }

    @Override
    public int read() throws IOException {
        call.check();
        int b;
        try {
            b = super.read();
        } catch (IOException e) {
            throw call.explain(e);
        }
        return ended(b);
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        call.check();
        int n;
        try {
            n = super.read(buffer, offset, length);
        } catch (IOException e) {
            throw call.explain(e);
        }
        return ended(n);
    }

    @Override
    public long skip(long n) throws IOException {
        call.check();
        try {
            return super.skip(n);
        } catch (IOException e) {
            throw call.explain(e);
        }
    }

    /** Drops the connection unless the answer was read to its end; never reads the rest of it. */
    @Override
    public void close() throws IOException {
        call.drop();
        try {
            super.close();
        } catch (IOException e) {
            // the connection is gone either way
        }
    }

    /** After a read: past the deadline fails it (an aborted socket may look like an end); an end in time makes the call whole. */
    private int ended(int result) throws IOException {
        call.check();
        if (result < 0) {
            call.whole();
        }
        return result;
    }
}
