package co.soukosync.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Issue 22 item 5, Kafka part: with 100,000 warehouses changed in one run, the push of all its
 * changes to Kafka (CHANGES_ENDPOINT=kafka:…, as shipped: pages of 1,000, each acknowledged by the
 * broker, acks=all) must take at most 3× that run's time, the service under -Xmx256m. A KRaft
 * broker runs in this JVM (spring-kafka-test's EmbeddedKafkaKraftBroker), PostgreSQL is embedded
 * (fsync on), the upstream a stub. For a first sync (inserted: the user, N warehouses, N links) and
 * for a re-sync that changes every warehouse (N updates): the run's time (PATCH syncall, from the
 * outside), the delivery's (from the run's answer until the delivered position reaches the newest
 * seq), their ratio, and the records the topic got. ./bench/run.sh --kafka [N].
 */
public final class KafkaDeliveryBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path WORK = Path.of("target", "bench").toAbsolutePath();
    private static final String TOPIC = "soukosync.changes";
    private static volatile Path served;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Files.createDirectories(WORK);
        EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 1, TOPIC);
        kafka.afterPropertiesSet();
        HttpServer upstream = stubUpstream();
        List<String> lines = new ArrayList<>();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(Files.createTempDirectory(WORK, "pg-kafka-")).setCleanDataDirectory(true)
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on").start()) {
            DataSource db = postgres.getPostgresDatabase();
            int apiPort = freePort();
            Process service = startService(postgres.getPort(), apiPort, upstream.getAddress().getPort(),
                    "kafka:" + TOPIC + "?brokers=" + kafka.getBrokersAsString());
            try {
                waitUntilUp(apiPort, service);
                // warm-up: the first syncs and pages of a fresh JVM pay for class loading and compilation
                for (int i = 0; i < 3; i++) {
                    served = generate(1_000, " warm" + i);
                    run(apiPort, db, kafka);
                }
                String header = String.format(Locale.ROOT, "%-9s %-22s %9s %9s %9s %9s", "N", "run", "changes",
                        "run s", "kafka s", "kafka/run");
                System.out.println("\n" + header);
                lines.add(header);
                served = generate(n, "");
                lines.add(line(n, "first sync (inserts)", run(apiPort, db, kafka)));
                served = generate(n, " v2");
                lines.add(line(n, "all changed (updates)", run(apiPort, db, kafka)));
            } finally {
                service.destroy();
                upstream.stop(0);
                kafka.destroy();
            }
        }
        Files.write(WORK.resolve("results-kafka.txt"), lines);
        System.out.println("\n(also in " + WORK.resolve("results-kafka.txt") + ")");
    }

    private record Measured(long changes, double runSeconds, double deliverySeconds, long records) {}

    private static String line(int n, String what, Measured m) {
        String line = String.format(Locale.ROOT, "%-9d %-22s %9d %9.2f %9.2f %8.2fx", n, what, m.changes(),
                m.runSeconds(), m.deliverySeconds(), m.deliverySeconds() / m.runSeconds());
        System.out.println(line + "   (records on the topic: " + m.records() + ")");
        return line;
    }

    /** A sync, timed; then the delivery of its changes, timed from the run's answer. */
    private static Measured run(int apiPort, DataSource db, EmbeddedKafkaKraftBroker kafka) throws Exception {
        long seqBefore = query(db, "SELECT last_seq FROM sync_feed");
        long offsetBefore = endOffset(kafka);
        long start = System.nanoTime();
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/api/syncall"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofMinutes(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        long ran = System.nanoTime();
        JsonNode json = JSON.readTree(answer.body());
        if (!"ok".equals(json.path("response").asText())) {
            throw new IllegalStateException("the sync failed: " + answer.body());
        }
        long last = query(db, "SELECT last_seq FROM sync_feed");
        Awaitility.await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> query(db, "SELECT position FROM changes_delivery") >= last);
        long delivered = System.nanoTime();
        return new Measured(last - seqBefore, (ran - start) / 1e9, (delivered - ran) / 1e9, endOffset(kafka) - offsetBefore);
    }

    private static long endOffset(EmbeddedKafkaKraftBroker kafka) {
        try (AdminClient admin = AdminClient.create(Map.of("bootstrap.servers", kafka.getBrokersAsString()))) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get().offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long query(DataSource db, String sql) throws Exception {
        try (Connection connection = db.getConnection(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static Path generate(int n, String suffix) throws IOException {
        Path file = WORK.resolve("kafka-warehouses-" + n + ".json");
        try (JsonGenerator out = new JsonFactory().createGenerator(file.toFile(), com.fasterxml.jackson.core.JsonEncoding.UTF8)) {
            out.writeStartObject();
            out.writeArrayFieldStart("warehouses");
            for (int i = 1; i <= n; i++) {
                out.writeStartObject();
                out.writeBooleanField("active", true);
                out.writeStringField("city", "City " + (i % 500));
                out.writeStringField("country", "Country " + (i % 50));
                out.writeNullField("fax");
                out.writeNumberField("id", i);
                out.writeStringField("line1", i + " Warehouse Street");
                out.writeNullField("line2");
                out.writeStringField("name", "warehouse_" + i + suffix);
                out.writeStringField("phone", "555-" + i);
                out.writeNumberField("priority", i % 1000);
                out.writeStringField("site", "Site " + (i % 20));
                out.writeStringField("state", "State " + (i % 30));
                out.writeNumberField("tenant_id", 137);
                out.writeStringField("zip_code", String.format("%05d", i % 100000));
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        return file;
    }

    private static HttpServer stubUpstream() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4, task -> {
            Thread thread = new Thread(task, "stub-upstream");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/api/v1/auth", exchange -> answer(exchange,
                "{\"access_token\":\"bench-token\",\"expires_in\":43200,\"scope\":\"default\",\"token_type\":\"bearer\"}"));
        server.createContext("/api/v1/iam/users/me", exchange -> answer(exchange, "{\"warehouses\":[],"
                + "\"active\":true,\"email\":\"bench@example.com\",\"employee_id\":\"E-1\",\"first_name\":\"Bench\","
                + "\"id\":1,\"last_name\":\"Mark\",\"tenant_id\":137,\"type\":\"admin\",\"username\":\"bench\"}"));
        server.createContext("/api/v1/iam/users/1/warehouses", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(200, Files.size(served));
            try (OutputStream body = exchange.getResponseBody()) {
                Files.copy(served, body);
            }
        });
        server.start();
        return server;
    }

    private static void answer(HttpExchange exchange, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(bytes);
        }
    }

    private static Process startService(int dbPort, int apiPort, int upstreamPort, String endpoint) throws IOException {
        Path jar;
        try (var jars = Files.list(Path.of("target"))) {
            jar = jars.filter(p -> p.getFileName().toString().matches("soukosync-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no jar in target/: run ./mvnw package first")).toAbsolutePath();
        }
        ProcessBuilder service = new ProcessBuilder("java", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString())
                .directory(WORK.toFile()).redirectErrorStream(true).redirectOutput(WORK.resolve("service-kafka.log").toFile());
        var env = service.environment();
        env.putAll(Map.of("DB_HOST", "127.0.0.1", "DB_PORT", String.valueOf(dbPort), "DB_DB", "postgres",
                "DB_USER", "postgres", "DB_PASSWORD", ""));
        env.put("API_BASE_URL", "http://127.0.0.1:" + upstreamPort + "/api/v1");
        env.put("API_USER", "bench");
        env.put("API_PASSWORD", "bench");
        env.put("SYNC_SCHEDULE_ENABLED", "false");
        env.put("MY_API_PORT", String.valueOf(apiPort));
        env.put("SYNC_CALL_WAIT_SECONDS", "1800");
        env.put("SYNC_RUN_DEADLINE_SECONDS", "3600");
        env.put("HTTP_CALL_DEADLINE_SECONDS", "3600");
        env.put("CHANGES_ENDPOINT", endpoint);
        // the delivery's finer settings, to try them: SOUKOSYNC_CHANGES_BATCH_SIZE=5000 ./bench/run.sh --kafka
        System.getenv().forEach((name, value) -> {
            if (name.startsWith("SOUKOSYNC_CHANGES_")) {
                env.put(name, value);
            }
        });
        return service.start();
    }

    private static void waitUntilUp(int apiPort, Process service) {
        Awaitility.await("the service (see " + WORK + ")").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!service.isAlive()) {
                        throw new IllegalStateException("the service stopped; see " + WORK.resolve("service-kafka.log"));
                    }
                    try {
                        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort
                                + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode() == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private KafkaDeliveryBenchmark() {}
}
