package co.soukosync.reload;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets {@link RoutesReloader} swap routes that serve HTTP between requests rather than under
 * them. Camel replaces a route by stopping it and starting the new one: while it stops, its
 * platform-http consumer is suspended and answers 503 to every new request, and until the new
 * one starts nothing serves the path. So while a swap runs, new requests wait here, and the swap
 * first waits (briefly) for the requests already past this point to finish, including those
 * that were routed to the old consumer but have not reached it yet.
 * The management paths do not wait: a health probe must not time out because routes change.
 */
@Component
@ConditionalOnExpression("!'${soukosync.routes.dir:}'.isBlank()")
@Order(Ordered.HIGHEST_PRECEDENCE + 100)
class RouteSwapGate extends OncePerRequestFilter {

    /** The longest a swap waits for requests in progress; the ones still running then are Camel's in-flight exchanges, which stopping a route waits for. */
    private static final Duration DRAIN = Duration.ofSeconds(2);
    /** The longest a request waits for a swap; past it, it goes on and may meet a route being replaced. */
    private static final Duration HOLD = Duration.ofSeconds(30);

    private final String managementPath;
    private final AtomicInteger inProgress = new AtomicInteger();
    private final Object monitor = new Object();
    private volatile boolean swapping;

    @Autowired
    RouteSwapGate(WebEndpointProperties management) {
        this(management.getBasePath());
    }

    RouteSwapGate(String managementPath) {
        this.managementPath = managementPath;
    }

    /** Runs {@code swap} with no request in progress (or after {@link #DRAIN}) while new requests wait. */
    <T> T around(Supplier<T> swap) {
        swapping = true;
        try {
            long deadline = System.nanoTime() + DRAIN.toNanos();
            synchronized (monitor) {
                while (inProgress.get() > 0 && waitUntil(deadline)) {
                    // woken by a request that finished
                }
            }
            return swap.get();
        } finally {
            swapping = false;
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals(managementPath) || path.startsWith(managementPath + "/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        enter();
        boolean leaveLater = false;
        try {
            chain.doFilter(request, response);
            // platform-http answers asynchronously: the request is in progress until that answer is complete
            leaveLater = request.isAsyncStarted() && leaveWhenComplete(request);
        } finally {
            if (!leaveLater) {
                leave();
            }
        }
    }

    private void enter() {
        long deadline = System.nanoTime() + HOLD.toNanos();
        inProgress.incrementAndGet();
        // counted first, then checked: a swap that starts now either sees this request or is seen by it
        while (swapping && System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
            leave();
            synchronized (monitor) {
                while (swapping && waitUntil(deadline)) {
                    // woken when the swap is over
                }
            }
            inProgress.incrementAndGet();
        }
    }

    private void leave() {
        if (inProgress.decrementAndGet() == 0 && swapping) {
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }
    }

    private boolean leaveWhenComplete(HttpServletRequest request) {
        try {
            request.getAsyncContext().addListener(new AsyncListener() {
                @Override
                public void onComplete(AsyncEvent event) {
                    leave();
                }

                @Override
                public void onTimeout(AsyncEvent event) {
                    // onComplete follows
                }

                @Override
                public void onError(AsyncEvent event) {
                    // onComplete follows
                }

                @Override
                public void onStartAsync(AsyncEvent event) {
                    // still the same request
                }
            });
            return true;
        } catch (IllegalStateException e) {
            // the answer is already complete
            return false;
        }
    }

    /** Waits on the monitor (held by the caller) until notified or the deadline; false once the deadline is past. */
    private boolean waitUntil(long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        try {
            monitor.wait(Math.max(1, left / 1_000_000));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
