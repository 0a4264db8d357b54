package co.soukosync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import co.soukosync.upstream.TokenStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole application on a random port, on its own embedded PostgreSQL (a fresh data
 * directory under target/), against the WireMock upstream. Each test starts from empty tables
 * and the recorded upstream.
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
})
public abstract class IntegrationSupport {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected TokenStore tokenStore;

    @LocalServerPort
    protected int port;

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
        jdbc.execute("TRUNCATE users, warehouses, users_warehouses, sync_runs RESTART IDENTITY CASCADE");
        jdbc.update("UPDATE alert_state SET incident = NULL, reason = NULL, consecutive_failures = 0");
    }

    protected Answer patch(String path) {
        return send(HttpRequest.newBuilder(uri(path)).method("PATCH", HttpRequest.BodyPublishers.noBody()));
    }

    protected Answer get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    protected Answer send(String method, String path) {
        return send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    protected List<Map<String, Object>> rows(String sql, Object... args) {
        return jdbc.queryForList(sql, args);
    }

    protected long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    /** The mirror as a comparable snapshot: every row of the three mirror tables. */
    protected List<List<Map<String, Object>>> mirror() {
        return List.of(
                rows("SELECT * FROM users ORDER BY id"),
                rows("SELECT * FROM warehouses ORDER BY id"),
                rows("SELECT * FROM users_warehouses ORDER BY user_id, warehouse_id"));
    }

    protected Answer sendJson(String method, String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    /**
     * A second instance of the application on the same database (a replica), configured as the
     * environment would be: command-line arguments win over application.yaml.
     */
    protected static ConfigurableApplicationContext startReplica(String jdbcUrl, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--soukosync.db.host=localhost",
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.password=",
                "--soukosync.api.base-url=" + Upstream.baseUrl(),
                "--soukosync.api.user=" + Upstream.USER,
                "--soukosync.api.password=" + Upstream.PASSWORD,
                // the replicas share this JVM, and its JMX server
                "--spring.jmx.unique-names=true"));
        args.addAll(List.of(more));
        if (args.stream().noneMatch(arg -> arg.startsWith("--spring.quartz.scheduler-name="))) {
            args.add("--spring.quartz.scheduler-name=replica-" + System.nanoTime());
        }
        if (args.stream().noneMatch(arg -> arg.startsWith("--soukosync.schedule.enabled="))) {
            args.add("--soukosync.schedule.enabled=false");
        }
        return new SpringApplicationBuilder(SoukosyncApplication.class).run(args.toArray(String[]::new));
    }

    protected static int portOf(ConfigurableApplicationContext replica) {
        return ((WebServerApplicationContext) replica).getWebServer().getPort();
    }

    /** A request to another instance of the application. */
    protected Answer sendTo(int otherPort, String method, String path) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + otherPort + path))
                .method(method, HttpRequest.BodyPublishers.noBody()));
    }

    /**
     * A request written byte for byte on a socket, as `curl --path-as-is` sends it: the path is
     * not normalised or re-encoded by any client library.
     */
    protected Answer raw(String method, String rawPath, String... headers) {
        return rawBody(method, rawPath, null, headers);
    }

    /** {@link #raw} with a request body. */
    protected Answer rawBody(String method, String rawPath, String body, String... headers) {
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.setSoTimeout(60_000);
            StringBuilder request = new StringBuilder(method).append(' ').append(rawPath).append(" HTTP/1.1\r\n")
                    .append("Host: localhost:").append(port).append("\r\n").append("Connection: close\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            byte[] content = body == null ? new byte[0] : body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (body != null || List.of("POST", "PUT", "PATCH").contains(method)) {
                request.append("Content-Length: ").append(content.length).append("\r\n");
            }
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(content);
            String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int headEnd = response.indexOf("\r\n\r\n");
            String head = headEnd < 0 ? response : response.substring(0, headEnd);
            String answer = headEnd < 0 ? "" : response.substring(headEnd + 4);
            if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                answer = unchunk(answer);
            }
            int status = Integer.parseInt(head.split(" ", 3)[1]);
            String type = head.lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("");
            return new Answer(status, type, answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String unchunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
        return out.toString();
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String newDataDir() {
        try {
            Path target = Path.of("target");
            Files.createDirectories(target);
            return Files.createTempDirectory(target, "pg-").toAbsolutePath().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An HTTP answer of our API. */
    protected record Answer(int status, String contentType, String body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }
}
