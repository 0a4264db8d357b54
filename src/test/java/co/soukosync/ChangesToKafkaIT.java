package co.soukosync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import co.soukosync.db.ServerPorts;
import co.soukosync.delivery.ChangesLease;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * CHANGES_ENDPOINT=kafka:…, to a real broker in this JVM (KRaft, {@link KafkaBroker}) through a
 * proxy the tests cut: every change of the log arrives, in seq order on the topic's one partition,
 * duplicates only across a failure, each with its seq; a change of a rolled-back run never does;
 * one replica delivers, and another takes over when it is killed with -9. What arrives is checked
 * against the change log (the feed's own query).
 */
// the producer gives a record up after 1.5 s (Kafka's default: 2 minutes), so that an outage of a few
// seconds is one the route's own retry must get through, not the producer's; batches of 100: a run of
// 2,000 warehouses is 41 of them, and a cut or a kill -9 after the first falls mid-delivery
@TestPropertySource(properties = {
        "soukosync.changes.batch-size=100",
        "soukosync.changes.poll-ms=100",
        "soukosync.changes.retry-delay-ms=100",
        "soukosync.changes.retry-max-delay-ms=1000",
        "soukosync.changes.check-seconds=1",
})
class ChangesToKafkaIT extends IntegrationSupport {

    static final ExternalPostgres DATABASE = new ExternalPostgres();
    static final KafkaBroker KAFKA = KafkaBroker.shared();
    static final String PRODUCER = "&deliveryTimeoutMs=1500&requestTimeoutMs=1000&lingerMs=5&maxBlockMs=2000"
            + "&retryBackoffMs=100&reconnectBackoffMaxMs=500";

    @Autowired
    CamelContext camel;

    @Autowired
    ChangesLease lease;

    private KafkaBroker.Reader topic;
    private Process other;

    /**
     * IntegrationSupport's fresh start, with delivery paused around it: the delivery's reads of the
     * change log and its TRUNCATE would deadlock (the routes run from the context's start on).
     */
    @Override
    @BeforeEach
    void startFromScratch() {
        DeliveryRoutes.pause(camel);
        super.startFromScratch();
        deliveredUpToNowAndReadingFromNow();
    }

    /** Everything committed so far delivered, and the topic read from here on. */
    private void deliveredUpToNowAndReadingFromNow() {
        KAFKA.proxy().restore();
        DeliveryRoutes.resume(camel);
        await().atMost(Duration.ofSeconds(30)).until(() -> position() == ChangeFeedLog.lastSeq(jdbc));
        topic = KAFKA.readFromNow();
    }

    @DynamicPropertySource
    static void databaseAndBroker(DynamicPropertyRegistry registry) {
        DATABASE.register(registry);
        registry.add("soukosync.changes.endpoint", ChangesToKafkaIT::endpoint);
    }

    static String endpoint() {
        return "kafka:" + KafkaBroker.TOPIC + "?brokers=" + KAFKA.brokers() + PRODUCER;
    }

    /**
     * Delivery pauses between tests: its reads of the change log and the next test's TRUNCATE of
     * the tables (IntegrationSupport) would deadlock.
     */
    @AfterEach
    void closeTheTopicAndTheOtherServiceAndPauseDelivery() throws Exception {
        if (topic != null) {
            topic.close();
        }
        KAFKA.proxy().restore();
        if (other != null && other.isAlive()) {
            other.destroyForcibly().waitFor();
        }
        DeliveryRoutes.pause(camel);
    }

    private long position() {
        return jdbc.queryForObject("SELECT position FROM changes_delivery", Long.class);
    }

    private double failures() {
        Answer metrics = get("/actuator/prometheus");
        return metrics.body().lines().filter(line -> line.startsWith("soukosync_changes_delivery_failures_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** The recorded user with this many warehouses (ids 1..n). */
    private static ObjectNode warehouses(int n, int priority) {
        ObjectNode answer = Upstream.warehousesAnswer();
        ArrayNode list = Upstream.warehouses(answer);
        ObjectNode template = (ObjectNode) list.get(0).deepCopy();
        list.removeAll();
        for (int id = 1; id <= n; id++) {
            list.add(template.deepCopy().put("id", id).put("name", "wh-" + id).put("priority", priority));
        }
        return answer;
    }

    /** Received until every seq up to the log's newest arrived. */
    private List<ConsumerRecord<String, String>> receivedThrough(long last) {
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            received.clear();
            received.addAll(topic.poll());
            return received.stream().mapToLong(ChangeFeedLog::seqOf).max().orElse(0) >= last;
        });
        return received;
    }

    @Test
    void everyChangeOfARunArrivesInSeqOrderThroughABrokerOutageDuplicatesOnlyAcrossIt() throws Exception {
        long before = ChangeFeedLog.lastSeq(jdbc);
        Upstream.serveWarehouses(warehouses(2_000, 1));
        assertThat(patch("/api/syncall").json().get("response").asText()).isEqualTo("ok");
        long last = ChangeFeedLog.lastSeq(jdbc);
        assertThat(last - before).as("changes of the run: the user, 2,000 warehouses, 2,000 links").isEqualTo(4_001);

        // the outage: while the run's changes are on their way, for longer than the producer keeps a record
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() -> position() > before);
        KAFKA.proxy().cut();
        long atCut = position();
        double failuresBefore = failures();
        await().atMost(Duration.ofSeconds(60)).until(() -> failures() >= failuresBefore + 2);
        assertThat(position()).as("nothing counted as delivered while the broker is away").isEqualTo(atCut);
        KAFKA.proxy().restore();

        List<ConsumerRecord<String, String>> received = receivedThrough(last);
        await().atMost(Duration.ofSeconds(30)).until(() -> position() == last);
        assertThat(atCut).as("the outage began mid-delivery").isLessThan(last);

        List<Long> seqs = received.stream().map(ChangeFeedLog::seqOf).toList();
        List<Long> duplicates = ChangeFeedLog.checkInOrderWithoutGap(seqs, before + 1, last);
        assertThat(duplicates).as("sent again: only what was not yet acknowledged when the broker went away")
                .allSatisfy(seq -> assertThat(seq).isGreaterThan(atCut));
        Map<Long, String> log = ChangeFeedLog.itemsAfter(jdbc, before);
        for (ConsumerRecord<String, String> record : received) {
            long seq = ChangeFeedLog.seqOf(record);
            assertThat(record.value()).as("the change of seq %d", seq).isEqualTo(log.get(seq));
            JsonNode item = JSON.readTree(record.value());
            assertThat(item.get("seq").asLong()).isEqualTo(seq);
            String key = "links".equals(item.get("entity").asText())
                    ? "links:" + item.get("user_id").asLong() + ":" + item.get("warehouse_id").asLong()
                    : item.get("entity").asText() + ":" + item.get("id").asLong();
            assertThat(record.key()).isEqualTo(key);
            assertThat(new String(record.headers().lastHeader("soukosync_entity").value())).isEqualTo(item.get("entity").asText());
            assertThat(new String(record.headers().lastHeader("soukosync_change").value())).isEqualTo(item.get("change").asText());
            assertThat(new String(record.headers().lastHeader("soukosync_run_id").value())).isEqualTo(item.get("run_id").asText());
        }
    }

    @Test
    void aChangeOfARolledBackRunIsNeverDelivered() throws Exception {
        long before = ChangeFeedLog.lastSeq(jdbc);
        Upstream.serveWarehouses(warehouses(20, 1));
        assertThat(patch("/api/syncall").json().get("response").asText()).isEqualTo("ok");
        // a dry run with changes, rolled back
        Upstream.serveWarehouses(warehouses(20, 2));
        JsonNode dry = patch("/api/syncall?dry_run=true").json();
        assertThat(dry.get("dry_run").asBoolean()).isTrue();
        // a run the brake stops (it would remove every link), rolled back
        Upstream.serveWarehouses(warehouses(0, 2));
        JsonNode failed = patch("/api/syncall").json();
        assertThat(failed.get("response").asText()).as(failed.toString()).isEqualTo("error");
        // and a real run after them
        Upstream.serveWarehouses(warehouses(20, 3));
        JsonNode ok = patch("/api/syncall").json();
        long last = ChangeFeedLog.lastSeq(jdbc);

        List<ConsumerRecord<String, String>> received = receivedThrough(last);
        ChangeFeedLog.checkInOrderWithoutGap(received.stream().map(ChangeFeedLog::seqOf).toList(), before + 1, last);
        Set<String> runs = new java.util.TreeSet<>();
        received.forEach(record -> runs.add(new String(record.headers().lastHeader("soukosync_run_id").value())));
        assertThat(runs).doesNotContain(dry.get("run_id").asText(), failed.get("run_id").asText())
                .contains(ok.get("run_id").asText());
    }

    @Test
    void oneReplicaDeliversAndAfterItsKill9AnotherGoesOnWithoutAGap() throws Exception {
        // this application steps aside: the service in a JVM of its own takes the lease
        camel.getRouteController().stopRoute("changes-delivery");
        lease.release();
        try {
            int port = ServerPorts.free();
            Path log = Files.createTempFile(Path.of("target"), "changes-kill9-", ".log");
            other = ServiceJvm.start(log, List.of("-Xmx256m"), "--server.port=" + port,
                    "--soukosync.db.host=localhost", "--spring.datasource.url=" + DATABASE.jdbcUrl(),
                    "--spring.datasource.password=",
                    "--soukosync.api.base-url=" + Upstream.baseUrl(), "--soukosync.api.user=" + Upstream.USER,
                    "--soukosync.api.password=" + Upstream.PASSWORD, "--soukosync.schedule.enabled=false",
                    "--soukosync.changes.endpoint=" + endpoint(), "--soukosync.changes.batch-size=100",
                    "--soukosync.changes.poll-ms=100", "--spring.quartz.scheduler-name=killed-" + port);
            await().atMost(Duration.ofSeconds(180)).until(() -> !other.isAlive() || ServiceJvm.ready(port));
            assertThat(other.isAlive()).as("the other service started (its log: %s)", log).isTrue();
            camel.getRouteController().startRoute("changes-delivery");
            await().atMost(Duration.ofSeconds(10)).until(() -> count(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = (91738176450372 & x'FFFFFFFF'::bigint)") == 1);
            assertThat(lease.hold()).as("this replica does not deliver while the other holds the lease").isFalse();

            long before = ChangeFeedLog.lastSeq(jdbc);
            Upstream.serveWarehouses(warehouses(2_000, 5));
            assertThat(patch("/api/syncall").json().get("response").asText()).isEqualTo("ok");
            long last = ChangeFeedLog.lastSeq(jdbc);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> position() > before);
            other.destroyForcibly().waitFor(); // kill -9, mid-delivery
            long atKill = position();
            assertThat(atKill).as("killed mid-delivery").isLessThan(last);

            List<ConsumerRecord<String, String>> received = receivedThrough(last);
            await().atMost(Duration.ofSeconds(30)).until(() -> position() == last);
            assertThat(lease.hold()).as("this replica took over").isTrue();
            List<Long> duplicates = ChangeFeedLog.checkInOrderWithoutGap(
                    received.stream().map(ChangeFeedLog::seqOf).toList(), before + 1, last);
            assertThat(duplicates).allSatisfy(seq -> assertThat(seq).isGreaterThan(atKill));
        } finally {
            DeliveryRoutes.resume(camel);
        }
    }

}
