package co.soukosync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two replicas with a 1-second schedule on one database: an application in this JVM and the
 * packaged jar in a process of its own. The clustered Quartz store fires the schedule once per
 * interval between them, and when the process is killed (-9) the other carries on.
 */
class ClusteredScheduleIT {

    @RegisterExtension
    static final WireMockExtension UPSTREAM = Upstream.SERVER;

    private static final String SCHEDULER = "clustered-schedule";

    @Test
    void theScheduleFiresOncePerIntervalAcrossReplicasAndGoesOnWhenOneIsKilled() throws Exception {
        ExternalPostgres database = new ExternalPostgres();
        String url = database.jdbcUrl();
        // the process starts while this JVM starts its own replica
        Replicas.Process other = Replicas.startPackagedJar("clustered-replica", Map.of(
                "DB_HOST", "localhost",
                "DB_PORT", url.substring(url.lastIndexOf(':') + 1, url.lastIndexOf('/')),
                "DB_DB", "postgres",
                "DB_USER", "postgres",
                "DB_PASSWORD", "",
                "INTERVAL_SCHEDULER_SECONDS", "1",
                "SYNC_CLUSTER_CHECKIN_MS", "1000",
                "SPRING_QUARTZ_SCHEDULER_NAME", SCHEDULER));
        try (ConfigurableApplicationContext replica = Replicas.start(url, "--soukosync.schedule.enabled=true",
                "--soukosync.schedule.interval-seconds=1",
                "--spring.quartz.properties.org.quartz.jobStore.clusterCheckinInterval=1000",
                "--spring.quartz.scheduler-name=" + SCHEDULER)) {
            MirrorDatabase rows = new MirrorDatabase(replica.getBean(JdbcTemplate.class));
            ApiClient otherApi = new ApiClient(other.port());
            // ready: its routes, and so its Quartz scheduler, have started
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() ->
                    otherApi.get("/actuator/health/readiness").status() == 200);
            await("both replicas are members of the Quartz cluster").atMost(Duration.ofSeconds(10)).until(() ->
                    rows.count("SELECT count(DISTINCT instance_name) FROM qrtz_scheduler_state WHERE sched_name = ?", SCHEDULER) == 2);

            // five fires of a 1 s schedule: clustered, they take about 4 s between the first and the
            // fifth; two replicas firing each on their own would get there in about half that
            long from = scheduledRuns(rows);
            await().atMost(Duration.ofSeconds(30)).until(() -> scheduledRuns(rows) >= from + 1);
            long firstFire = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).until(() -> scheduledRuns(rows) >= from + 5);
            Duration fourIntervals = Duration.ofNanos(System.nanoTime() - firstFire);
            assertThat(fourIntervals).as("four intervals of 1 s on two replicas").isGreaterThan(Duration.ofMillis(3000));
            ConcurrencyIT.assertNoOverlap(rows.rows("SELECT id, started_at, finished_at FROM sync_runs "
                    + "WHERE outcome <> 'running' ORDER BY started_at"));
            // the scheduled runs sync the mirror
            assertThat(rows.count("SELECT count(*) FROM warehouses")).isEqualTo(5);
            assertThat(rows.count("SELECT count(*) FROM users_warehouses WHERE user_id = 233")).isEqualTo(5);

            other.kill();
            long afterKill = scheduledRuns(rows);
            await().atMost(Duration.ofSeconds(20)).until(() -> scheduledRuns(rows) >= afterKill + 3);
        } finally {
            other.kill();
            database.stop();
        }
    }

    private static long scheduledRuns(MirrorDatabase rows) {
        return rows.count("SELECT count(*) FROM sync_runs WHERE trigger = 'schedule' AND outcome = 'ok'");
    }
}
