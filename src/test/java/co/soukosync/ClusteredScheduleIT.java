package co.soukosync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * Two replicas with a 2-second schedule on one database: this test's application and the
 * packaged jar in a process of its own. The clustered Quartz store fires the schedule once per
 * interval between them, and when the process is killed (-9) the other carries on.
 */
// a running schedule would keep calling the shared WireMock upstream during later test classes
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestPropertySource(properties = {
        "soukosync.schedule.enabled=true",
        "soukosync.schedule.interval-seconds=2",
        "spring.quartz.properties.org.quartz.jobStore.clusterCheckinInterval=1000",
})
class ClusteredScheduleIT extends IntegrationSupport {

    static final ExternalPostgres DATABASE = new ExternalPostgres();
    static Process replica;
    static int replicaPort;

    @Value("${spring.quartz.scheduler-name}")
    String schedulerName;

    @DynamicPropertySource
    static void sharedDatabase(DynamicPropertyRegistry registry) {
        DATABASE.register(registry);
    }

    @AfterAll
    static void stopTheOtherReplica() {
        if (replica != null) {
            replica.destroyForcibly();
        }
    }

    private long scheduledRuns() {
        return count("SELECT count(*) FROM sync_runs WHERE trigger = 'schedule' AND outcome = 'ok'");
    }

    @Test
    void theScheduleFiresOncePerIntervalAcrossReplicasAndGoesOnWhenOneIsKilled() throws Exception {
        replica = startReplicaProcess();
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() ->
                sendTo(replicaPort, "GET", "/actuator/health/liveness").status() == 200);
        assertThat(count("SELECT count(DISTINCT instance_name) FROM qrtz_scheduler_state WHERE sched_name = ?",
                schedulerName)).as("cluster members").isEqualTo(2);

        // five fires of a 2 s schedule: clustered, they take about 8 s between the first and the
        // fifth; two replicas firing each on their own would get there in about half that
        long from = scheduledRuns();
        await().atMost(Duration.ofSeconds(30)).until(() -> scheduledRuns() >= from + 1);
        long firstFire = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> scheduledRuns() >= from + 5);
        Duration fourIntervals = Duration.ofNanos(System.nanoTime() - firstFire);
        assertThat(fourIntervals).as("four intervals of 2 s on two replicas").isGreaterThan(Duration.ofMillis(6000));
        ConcurrencyIT.assertNoOverlap(rows("SELECT id, started_at, finished_at FROM sync_runs "
                + "WHERE outcome <> 'running' ORDER BY started_at"));

        replica.destroyForcibly().waitFor();
        long afterKill = scheduledRuns();
        await().atMost(Duration.ofSeconds(20)).until(() -> scheduledRuns() >= afterKill + 3);
    }

    private Process startReplicaProcess() throws IOException {
        Path jar;
        try (var jars = Files.list(Path.of("target"))) {
            jar = jars.filter(p -> p.getFileName().toString().matches("soukosync-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no jar in target/: the package phase makes it"));
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            replicaPort = socket.getLocalPort();
        }
        Path log = Path.of("target", "clustered-replica.log");
        ProcessBuilder process = new ProcessBuilder("java", "-Xmx256m", "-jar", jar.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = process.environment();
        String url = DATABASE.jdbcUrl();
        env.put("DB_HOST", "localhost");
        env.put("DB_PORT", url.substring(url.lastIndexOf(':') + 1, url.lastIndexOf('/')));
        env.put("DB_DB", "postgres");
        env.put("DB_USER", "postgres");
        env.put("DB_PASSWORD", "");
        env.put("API_BASE_URL", Upstream.baseUrl());
        env.put("API_USER", Upstream.USER);
        env.put("API_PASSWORD", Upstream.PASSWORD);
        env.put("MY_API_PORT", String.valueOf(replicaPort));
        env.put("INTERVAL_SCHEDULER_SECONDS", "2");
        env.put("SYNC_CLUSTER_CHECKIN_MS", "1000");
        env.put("SPRING_QUARTZ_SCHEDULER_NAME", schedulerName);
        return process.start();
    }
}
