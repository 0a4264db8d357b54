package co.soukosync;

import co.soukosync.db.ServerPorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import kafka.server.BrokerServer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A real Kafka broker in the test JVM (Kafka's own server code, KRaft mode, spring-kafka-test's
 * EmbeddedKafkaKraftBroker), once per JVM, reached through a {@link TcpProxy} that a test cuts
 * for an outage: the broker advertises the proxy's address, so every client connection, the
 * application's and the test's consumer's, goes through it.
 */
public final class KafkaBroker {

    public static final String TOPIC = "soukosync.changes";

    private static KafkaBroker shared;

    private final EmbeddedKafkaKraftBroker broker;
    private final TcpProxy proxy;

    private KafkaBroker() {
        int proxyPort = ServerPorts.free();
        // first: every client of the broker goes through it, the broker's own admin client too
        proxy = new TcpProxy(proxyPort);
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperties(Map.of(
                "advertised.listeners", "EXTERNAL://localhost:" + proxyPort,
                "auto.create.topics.enable", "false"));
        broker.afterPropertiesSet();
        BrokerServer server = broker.getCluster().brokers().values().iterator().next();
        proxy.forwardTo(server.boundPort(new ListenerName("EXTERNAL")));
        broker.addTopics(TOPIC);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy));
    }

    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            shared = new KafkaBroker();
        }
        return shared;
    }

    /** bootstrap.servers: the proxy. */
    public String brokers() {
        return "localhost:" + proxy.port();
    }

    public TcpProxy proxy() {
        return proxy;
    }

    /** A consumer of the topic from its current end: it sees what is sent from now on. */
    public Reader readFromNow() {
        return new Reader(this);
    }

    /** Reads the topic's one partition in order, from where it ended when the reader was made. */
    public static final class Reader implements AutoCloseable {

        private final KafkaConsumer<String, String> consumer;
        private final List<ConsumerRecord<String, String>> received = new ArrayList<>();

        Reader(KafkaBroker broker) {
            Properties properties = new Properties();
            properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.brokers());
            properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
            properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumer = new KafkaConsumer<>(properties);
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
        }

        /** Everything received so far, polling once more. */
        public List<ConsumerRecord<String, String>> poll() {
            consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            return received;
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(2));
        }
    }
}
