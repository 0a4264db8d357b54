package co.soukosync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Issue 22 item 5, Kafka part: with 100,000 warehouses changed in one run, the push of all its
 * changes to Kafka (CHANGES_ENDPOINT=kafka:…, as shipped: pages of 5,000, each acknowledged by the
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

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Files.createDirectories(WORK);
        EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 1, TOPIC);
        kafka.afterPropertiesSet();
        HttpServer upstream = SyncBenchmark.stubUpstream(); // the sync benchmark's stub, serving SyncBenchmark.served
        List<String> lines = new ArrayList<>();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(Files.createTempDirectory(WORK, "pg-kafka-")).setCleanDataDirectory(true)
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on").start()) {
            DataSource db = postgres.getPostgresDatabase();
            int apiPort = SyncBenchmark.freePort();
            Map<String, String> delivery = new HashMap<>();
            delivery.put("CHANGES_ENDPOINT", "kafka:" + TOPIC + "?brokers=" + kafka.getBrokersAsString());
            // the delivery's finer settings, to try them: SOUKOSYNC_CHANGES_BATCH_SIZE=5000 ./bench/run.sh --kafka
            System.getenv().forEach((name, value) -> {
                if (name.startsWith("SOUKOSYNC_CHANGES_")) {
                    delivery.put(name, value);
                }
            });
            Process service = SyncBenchmark.startService(postgres.getPort(), apiPort, delivery, "service-kafka.log");
            try {
                SyncBenchmark.waitUntilUp(apiPort, service);
                // warm-up: the first syncs and pages of a fresh JVM pay for class loading and compilation
                for (int i = 0; i < 3; i++) {
                    SyncBenchmark.served = SyncBenchmark.generate(1_000, " warm" + i);
                    run(apiPort, db, kafka);
                }
                String header = String.format(Locale.ROOT, "%-9s %-22s %9s %9s %9s %9s", "N", "run", "changes",
                        "run s", "kafka s", "kafka/run");
                System.out.println("\n" + header);
                lines.add(header);
                SyncBenchmark.served = SyncBenchmark.generate(n, "");
                lines.add(line(n, "first sync (inserts)", run(apiPort, db, kafka)));
                SyncBenchmark.served = SyncBenchmark.generate(n, " v2");
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

    private KafkaDeliveryBenchmark() {}
}
