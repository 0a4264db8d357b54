package co.soukosync;

import co.soukosync.db.DataFolders;
import com.fasterxml.jackson.databind.ObjectMapper;
import co.soukosync.upstream.TokenStore;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.hc.core5.pool.ConnPoolControl;
import org.apache.hc.core5.util.TimeValue;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole application on a random port, on its own embedded PostgreSQL (a fresh data directory
 * under target/), against the WireMock upstream ({@link Upstream}). Each test starts from empty
 * tables and the recorded upstream.
 *
 * <p>Test classes with this configuration share one Spring context. A configuration of its own
 * is a subclass that adds its properties ({@link ShortTimeoutsSupport}, {@link DeploymentSupport})
 * or, for one class alone, annotations on that class. The helpers live in small classes:
 * {@link ApiClient} (HTTP), {@link MirrorDatabase} (rows), {@link Replicas} (more instances);
 * the methods here are shortcuts to them.
 */
@CamelSpringBootTest
// metrics are exported as in production (Spring Boot tests turn the export off by default)
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "soukosync.api.user=" + Upstream.USER,
        "soukosync.api.password=" + Upstream.PASSWORD,
        "soukosync.schedule.enabled=false",
        "soukosync.sync.retry-delay-ms=20",
        "soukosync.db.embedded-durable=false",
        // the embedded PostgreSQL's programs, unpacked once for every test context of the build
        "soukosync.db.embedded-binaries-dir=" + IntegrationSupport.BINARIES,
        // the seda consumers (sync-cast, alerts, history-retry) look whether to stop every 100 ms,
        // not every second: a context stops in a fraction of a second, not one to three
        IntegrationSupport.SEDA_POLL,
        // two connections opened at start, not ten: each logs in by SCRAM (4,096 rounds of
        // HMAC-SHA-256 in this JVM); the pool still grows to its ten on demand
        "spring.datasource.hikari.minimum-idle=2",
})
@ExtendWith(ContextsClosedAtTheEnd.class)
public abstract class IntegrationSupport {

    static final ObjectMapper JSON = new ObjectMapper();

    /** The seda consumers' poll timeout of the tests' applications (Camel's default: 1000 ms). */
    public static final String SEDA_POLL = "camel.component.seda.default-poll-timeout=100";

    /** Where the tests' embedded PostgreSQL servers run their programs from, as DB_BINARIES_DIR would say. */
    public static final String BINARIES = "target/embedded-postgres";

    static {
        // conditions are checked every 50 ms from the start, not first after 100 ms and then every 100 ms
        Awaitility.setDefaultPollDelay(Duration.ZERO);
        Awaitility.setDefaultPollInterval(Duration.ofMillis(50));
    }

    @RegisterExtension
    static final WireMockExtension UPSTREAM = Upstream.SERVER;

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected TokenStore tokenStore;

    @LocalServerPort
    protected int port;

    @Autowired
    private CamelContext camelContext;

    private MirrorDatabase database;

    @DynamicPropertySource
    static void upstreamAndDatabase(DynamicPropertyRegistry registry) {
        registry.add("soukosync.api.base-url", Upstream::baseUrl);
        // every Spring context gets a database directory of its own
        String dataDir = newDataDir();
        registry.add("soukosync.db.embedded-dir", () -> dataDir);
        // Quartz keeps one registry of data sources per JVM, by scheduler name: every Spring
        // context of these tests gets a name of its own (replicas in production are JVMs apart)
        String scheduler = "soukosync-" + Path.of(dataDir).getFileName();
        registry.add("spring.quartz.scheduler-name", () -> scheduler);
    }

    @BeforeEach
    void startFromScratch() {
        Upstream.serveRecorded();
        tokenStore.reset();
        database().clear();
        forgetUpstreamConnections();
    }

    /**
     * No grant retry is left pending for the background timer of a context that stays cached
     * while other classes run: it would ask their upstream for a token.
     */
    @AfterEach
    void noGrantRetryLeftPending() {
        tokenStore.reset();
    }

    /**
     * The WireMock servers start again for each test class, on the same ports: the keep-alive
     * connections to them that a context cached by an earlier class holds lead nowhere now, and
     * the first request on one would fail as "closed".
     */
    private void forgetUpstreamConnections() {
        camelContext.getEndpoints().stream()
                .filter(HttpEndpoint.class::isInstance)
                .map(endpoint -> ((HttpEndpoint) endpoint).getClientConnectionManager())
                .distinct()
                .filter(ConnPoolControl.class::isInstance)
                .forEach(pool -> ((ConnPoolControl<?>) pool).closeIdle(TimeValue.ZERO_MILLISECONDS));
    }

    /** The API key that the calls of {@link #api()} carry; none unless the configuration sets one. */
    protected String apiKey() {
        return null;
    }

    /** This test's application, over HTTP. */
    protected ApiClient api() {
        return new ApiClient(port, apiKey());
    }

    protected MirrorDatabase database() {
        if (database == null) {
            database = new MirrorDatabase(jdbc);
        }
        return database;
    }

    protected Answer patch(String path) {
        return api().patch(path);
    }

    protected Answer get(String path) {
        return api().get(path);
    }

    protected Answer send(String method, String path) {
        return api().send(method, path);
    }

    protected Answer sendJson(String method, String path, String json) {
        return api().sendJson(method, path, json);
    }

    /** {@link ApiClient#raw}: exactly these headers, on a socket. */
    protected Answer raw(String method, String rawPath, String... headers) {
        return api().raw(method, rawPath, headers);
    }

    protected Answer rawBody(String method, String rawPath, String body, String... headers) {
        return api().rawBody(method, rawPath, body, headers);
    }

    /** A request to another instance of the application. */
    protected Answer sendTo(int otherPort, String method, String path) {
        return new ApiClient(otherPort).send(method, path);
    }

    protected List<Map<String, Object>> rows(String sql, Object... args) {
        return database().rows(sql, args);
    }

    protected long count(String sql, Object... args) {
        return database().count(sql, args);
    }

    /** The mirror as a comparable snapshot: every row of the three mirror tables. */
    protected List<List<Map<String, Object>>> mirror() {
        return database().mirror();
    }

    /** {@link Replicas#start}: another instance of the application on the database of this URL. */
    protected static ConfigurableApplicationContext startReplica(String jdbcUrl, String... more) {
        return Replicas.start(jdbcUrl, more);
    }

    protected static int portOf(ConfigurableApplicationContext replica) {
        return Replicas.portOf(replica);
    }

    /** A folder as the service's first start leaves it (initdb's work, copied), for the context's embedded PostgreSQL. */
    private static String newDataDir() {
        return DataFolders.embedded("pg-", BINARIES).toString();
    }
}
