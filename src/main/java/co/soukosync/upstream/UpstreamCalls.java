package co.soukosync.upstream;

import co.soukosync.config.SoukosyncProperties;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpActivityListener;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.methods.HttpUriRequest;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.springframework.stereotype.Component;

/**
 * Every upstream call whole within its deadline: HTTP_CALL_DEADLINE_SECONDS after it starts, or
 * the run's deadline when that comes first. HttpClient's timeouts bound each read, never a whole
 * answer, so an upstream that drips (headers, a token, an error body, a list) would hold a run as
 * long as it likes; here the call's connection is aborted at its deadline, wherever the run's
 * thread is reading it, and the read fails as a timeout that names the deadline.
 *
 * <p>A call's connection is also dropped, never read out, when its exchange completes or its
 * answer is closed before its end: camel-http consumes a streamed answer when the exchange is
 * done, which for an answer that goes on dripping after the run failed would take as long as
 * the upstream keeps sending, and hold the run's gate meanwhile.
 *
 * <p>It is the upstream endpoints' {@code httpClientConfigurer} (an execution interceptor on
 * their HttpClient) and their {@code httpActivityListener}: camel-http hands the exchange to the
 * HTTP client's context only for an activity listener, and the exchange is how a call finds its
 * run's deadline and where it leaves its clean-up.
 */
@Component("upstreamCalls")
public class UpstreamCalls implements HttpClientConfigurer, HttpActivityListener {

    /** Where camel-http's HttpProducer puts the exchange in the HTTP context (read the same way by its own interceptors). */
    private static final String EXCHANGE = "org.apache.camel.Exchange";

    private final Duration callLimit;
    private final Clock clock = Clock.systemUTC();
    private final ScheduledThreadPoolExecutor cutter;

    UpstreamCalls(SoukosyncProperties properties) {
        this.callLimit = Duration.ofSeconds(properties.upstream().callDeadlineSeconds());
        this.cutter = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "upstream-deadline");
            thread.setDaemon(true);
            return thread;
        });
        // a call that ends in time takes its cut off the queue
        cutter.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.addExecInterceptorFirst("soukosync-deadline", this::execute);
    }

    /** One execution of an upstream request: armed before it is sent, its answer read through a {@link DeadlineInputStream}. */
    ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        Exchange exchange = scope.clientContext.getAttribute(EXCHANGE) instanceof Exchange e ? e : null;
        UpstreamRun run = exchange == null ? null : exchange.getVariable("run", UpstreamRun.class);
        Instant now = clock.instant();
        Instant deadline = run == null ? now.plus(callLimit) : run.callDeadline(now);
        boolean runEndsFirst = run != null && deadline.equals(run.getDeadline());
        Runnable abort = scope.originalRequest instanceof HttpUriRequest original
                ? original::abort
                : scope.execRuntime::discardEndpoint;
        UpstreamCall call = new UpstreamCall(abort, deadline, runEndsFirst, clock);
        call.arm(cutter.schedule(call::cut, Math.max(0, Duration.between(now, call.deadline()).toMillis()),
                TimeUnit.MILLISECONDS));
        if (exchange != null) {
            exchange.getExchangeExtension().addOnCompletion(call.dropOnCompletion());
        }
        try {
            ClassicHttpResponse response = chain.proceed(request, scope);
            HttpEntity entity = response.getEntity();
            if (entity != null) {
                response.setEntity(new DeadlineInputStream.Entity(entity, call));
            } else {
                call.whole();
            }
            return response;
        } catch (IOException e) {
            throw call.explain(e);
        }
    }

    @Override
    public void onRequestSubmitted(Object source, Exchange exchange, HttpHost host, HttpRequest request, HttpEntity entity) {
        // nothing: being the listener is what puts the exchange in the HTTP context
    }

    @Override
    public void onResponseReceived(Object source, Exchange exchange, HttpHost host, HttpResponse response,
                                   HttpEntity entity, long elapsed) {
        // nothing: see onRequestSubmitted
    }

    @PreDestroy
    void stop() {
        cutter.shutdownNow();
    }
}
