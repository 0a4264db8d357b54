package co.soukosync;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The application with short upstream timeouts and deadlines, a token retry every second, and an
 * alert webhook ({@link Upstream#RECEIVER}) with quick retries and a stale check every second: the
 * faults of the upstream and of the webhook take a fraction of a second each, not many seconds.
 * The consoles are on (MANAGEMENT_USER and MANAGEMENT_PASSWORD, JMX as in production), so that
 * what they show of the webhook can be checked. The classes that extend this share one Spring
 * context.
 */
@DisableJmx(false)
@TestPropertySource(properties = {
        "camel.component.http.response-timeout=400",
        "camel.component.http.so-timeout=400",
        "soukosync.token.retry-seconds=1",
        "soukosync.sync.retry-after-budget-seconds=3",
        "soukosync.upstream.call-deadline-seconds=1",
        "soukosync.sync.run-deadline-seconds=3",
        "soukosync.alerts.webhook-headers=Authorization=Bearer " + ShortTimeoutsSupport.HOOK_TOKEN + ";X-Team=ops",
        "soukosync.alerts.retry-delay-ms=100",
        "soukosync.alerts.stale-check-seconds=1",
        "soukosync.health.stale-after-seconds=2",
        "soukosync.management.user=ops",
        "soukosync.management.password=" + ShortTimeoutsSupport.CONSOLE_PASSWORD,
})
public abstract class ShortTimeoutsSupport extends IntegrationSupport {

    static final String HOOK_TOKEN = "hook-secret-7788";
    static final String HOOK = "/hooks/soukosync";
    static final String CONSOLE_PASSWORD = "console-Hook-6161";

    @RegisterExtension
    static final WireMockExtension RECEIVER = Upstream.RECEIVER;

    @DynamicPropertySource
    static void alertReceiver(DynamicPropertyRegistry registry) {
        registry.add("soukosync.alerts.webhook-url", () -> Upstream.receiverUrl(HOOK));
    }
}
