package co.soukosync;

import co.soukosync.sync.RouteTestBeans;
import co.soukosync.sync.SyncRun;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.seda.SedaComponent;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSendingEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The route files with logic, in one light context that every route test shares (subclasses add no
 * configuration of their own, so Spring starts it once): error-handling, history, sync-pipeline,
 * upstream-auth, alerts and sync-api's routes, with the application's real beans
 * ({@link RouteTestBeans}) on a real PostgreSQL ({@link RouteTestApplication}). No web server, no
 * HTTP: before Camel starts, AdviceWith (by route id) puts mock endpoints where a message leaves the
 * service, and direct endpoints where a timer fires:
 * <ul>
 * <li>the upstream's data calls (upstream-get) go to {@code mock:upstream}, its token grant
 * (upstream-token) to {@code mock:grant}; {@link #serveUpstream} answers them like the Pulpo API;
 * <li>the alert webhook's POST (alert-send) goes to {@code mock:webhook};
 * <li>the timers fire by hand: {@code direct:token-retry-fires}, {@code direct:stale-check-fires};
 * the repair and retention timers call {@code direct:history-repair} and
 * {@code direct:changes-retention}, which the tests call themselves;
 * <li>the REST DSL's contract route (api) and the document's route (api-document) are left out:
 * they need the web server; the tests call the operations' direct routes with the variable
 * "params" as the contract leaves it (api/ApiContract, ApiContractTest).
 * </ul>
 * {@link #steps()} lists the endpoints every exchange was sent to, in order: what a route decided to
 * call, and what it did not.
 */
@CamelSpringBootTest
@UseAdviceWith
@SpringBootTest(classes = RouteTestApplication.class, properties = {
        "camel.main.routes-include-pattern=classpath:routes/error-handling.camel.yaml,classpath:routes/history.camel.yaml,"
                + "classpath:routes/sync-pipeline.camel.yaml,classpath:routes/upstream-auth.camel.yaml,"
                + "classpath:routes/alerts.camel.yaml,classpath:routes/sync-api.camel.yaml",
        "soukosync.sync.lock-key=" + RouteTestSupport.LOCK_KEY,
        "soukosync.sync.max-retries=2",
        "soukosync.sync.retry-delay-ms=10",
        "soukosync.sync.call-wait-seconds=2",
        "soukosync.alerts.webhook-url=" + RouteTestSupport.WEBHOOK,
        "soukosync.alerts.webhook-headers=X-Team=ops",
        "soukosync.alerts.retry-delay-ms=10",
        "soukosync.health.stale-after-seconds=60",
        "soukosync.history.retry-delay-ms=50",
        "soukosync.history.retry-max-delay-ms=100",
})
@Import(RouteTestBeans.class)
@ExtendWith(ContextsClosedAtTheEnd.class)
public abstract class RouteTestSupport {

    protected static final long LOCK_KEY = 4245;
    protected static final String WEBHOOK = "http://hooks.invalid/soukosync";

    /** Every endpoint an exchange was sent to, in order, since the test started. */
    private static final List<String> STEPS = new CopyOnWriteArrayList<>();

    @Autowired
    protected CamelContext camel;

    @Autowired
    protected ProducerTemplate template;

    @Autowired
    protected JdbcTemplate jdbc;

    /** The paths that {@link #serveUpstream} was asked for, in order. */
    protected final List<String> upstreamPaths = new CopyOnWriteArrayList<>();

    @EndpointInject("mock:upstream")
    protected MockEndpoint upstream;

    @EndpointInject("mock:grant")
    protected MockEndpoint grant;

    @EndpointInject("mock:webhook")
    protected MockEndpoint webhook;

    @BeforeEach
    void adviseOnceAndStartFromScratch() throws Exception {
        synchronized (RouteTestSupport.class) {
            if (!camel.isStarted()) {
                // IntegrationSupport.SEDA_POLL (this context has no component auto-configuration): the
                // seda consumers look whether to stop every 100 ms, and the context stops at once
                camel.getComponent("seda", SedaComponent.class).setDefaultPollTimeout(100);
                advise(camel);
                camel.start();
            }
        }
        MockEndpoint.resetMocks(camel);
        new MirrorDatabase(jdbc).clear();
        STEPS.clear();
    }

    @AfterEach
    void resetMocks() {
        MockEndpoint.resetMocks(camel);
    }

    private static void advise(CamelContext camel) throws Exception {
        ModelCamelContext model = (ModelCamelContext) camel;
        // the contract's REST route and the document's are served by the web server, which this context has not
        model.removeRouteDefinitions(model.getRouteDefinitions().stream()
                .filter(route -> List.of("api", "api-document").contains(route.getRouteId())).toList());
        AdviceWith.adviceWith(camel, "upstream-get", route -> route.weaveByType(ToDynamicDefinition.class).replace().to("mock:upstream"));
        AdviceWith.adviceWith(camel, "upstream-token", route -> route.weaveByType(ToDynamicDefinition.class).replace().to("mock:grant"));
        AdviceWith.adviceWith(camel, "alert-send", route -> route.weaveByToUri("http://alert-webhook.invalid*").replace().to("mock:webhook"));
        AdviceWith.adviceWith(camel, "upstream-token-retry", route -> route.replaceFromWith("direct:token-retry-fires"));
        AdviceWith.adviceWith(camel, "alert-stale-check", route -> route.replaceFromWith("direct:stale-check-fires"));
        AdviceWith.adviceWith(camel, "history-repair-timer", route -> route.replaceFromWith("direct:history-repair-fires"));
        AdviceWith.adviceWith(camel, "changes-retention-timer", route -> route.replaceFromWith("direct:changes-retention-fires"));
        camel.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                STEPS.add(((ExchangeSendingEvent) event).getEndpoint().getEndpointUri().replaceAll("\\?.*", ""));
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof ExchangeSendingEvent;
            }
        });
    }

    /** The endpoints sent to since the test started, without the options of their URIs (direct://x as direct://x). */
    protected static List<String> steps() {
        return List.copyOf(STEPS);
    }

    /**
     * The upstream answers as the Pulpo API does (the recorded user 233 and its five warehouses, a
     * grant of {@code token}), the warehouses' answer being {@code warehouses}.
     */
    protected void serveUpstream(String warehouses) {
        upstreamPaths.clear();
        grant.whenAnyExchangeReceived(exchange -> answer(exchange,
                "{\"access_token\":\"granted-token\",\"token_type\":\"bearer\",\"expires_in\":3600}"));
        upstream.whenAnyExchangeReceived(exchange -> {
            String path = exchange.getVariable("run", SyncRun.class).getUpstreamPath();
            upstreamPaths.add(path);
            answer(exchange, path.endsWith("/warehouses") ? warehouses : Upstream.fixture("users_me.json"));
        });
    }

    protected void serveUpstream() {
        serveUpstream(Upstream.fixture("users_233_warehouses.json"));
    }

    /** An upstream answer: JSON, as a stream, as camel-http hands it on. */
    protected static void answer(Exchange exchange, String json) {
        exchange.getMessage().setHeader("Content-Type", "application/json");
        exchange.getMessage().setBody(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    protected long count(String sql, Object... args) {
        return new MirrorDatabase(jdbc).count(sql, args);
    }
}
