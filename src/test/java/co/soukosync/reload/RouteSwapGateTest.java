package co.soukosync.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class RouteSwapGateTest {

    private final RouteSwapGate gate = new RouteSwapGate("/actuator");

    private CompletableFuture<Void> request(String path, FilterChain chain) {
        return CompletableFuture.runAsync(() -> {
            try {
                MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
                request.setAsyncSupported(true);
                gate.doFilter(request, new MockHttpServletResponse(), chain);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private CompletableFuture<Void> swap(AtomicBoolean ran, CountDownLatch release) {
        return CompletableFuture.runAsync(() -> gate.around(() -> {
            ran.set(true);
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        }));
    }

    @Test
    void aSwapWaitsForTheRequestInProgress() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<Void> request = request("/api/synlast", (req, res) -> {
            inside.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> finish.getCount() == 0);
        });
        inside.await();

        AtomicBoolean swapped = new AtomicBoolean();
        CompletableFuture<Void> swap = swap(swapped, new CountDownLatch(0));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> !swapped.get());

        finish.countDown();
        swap.get();
        request.get();
        assertThat(swapped).isTrue();
    }

    @Test
    void anAsynchronousAnswerIsInProgressUntilItIsComplete() throws Exception {
        AtomicReference<AsyncContext> async = new AtomicReference<>();
        request("/hello", (req, res) -> async.set(req.startAsync())).get();

        AtomicBoolean swapped = new AtomicBoolean();
        CompletableFuture<Void> swap = swap(swapped, new CountDownLatch(0));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> !swapped.get());

        async.get().complete();
        swap.get();
        assertThat(swapped).isTrue();
    }

    @Test
    void aRequestArrivingDuringASwapWaitsForItsEnd() throws Exception {
        AtomicBoolean swapped = new AtomicBoolean();
        CountDownLatch endSwap = new CountDownLatch(1);
        CompletableFuture<Void> swap = swap(swapped, endSwap);
        await().atMost(Duration.ofSeconds(5)).untilTrue(swapped);

        AtomicBoolean served = new AtomicBoolean();
        CompletableFuture<Void> request = request("/api/synlast", (req, res) -> served.set(true));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> !served.get());

        endSwap.countDown();
        swap.get();
        request.get();
        assertThat(served).isTrue();
    }

    @Test
    void managementPathsNeverWait() throws Exception {
        AtomicBoolean swapped = new AtomicBoolean();
        CountDownLatch endSwap = new CountDownLatch(1);
        CompletableFuture<Void> swap = swap(swapped, endSwap);
        await().atMost(Duration.ofSeconds(5)).untilTrue(swapped);

        AtomicBoolean served = new AtomicBoolean();
        request("/actuator/health", (req, res) -> served.set(true)).get();
        assertThat(served).isTrue();

        endSwap.countDown();
        swap.get();
    }
}
