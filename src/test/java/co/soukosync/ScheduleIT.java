package co.soukosync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The schedule across a restart, with two applications started one after the other on one
 * database. (A fire while a run is in progress is skipped: ScheduleRoutesTest; the schedule firing
 * every interval across replicas: ClusteredScheduleIT.)
 */
@ExtendWith(OutputCaptureExtension.class)
class ScheduleIT {

    @RegisterExtension
    static final WireMockExtension UPSTREAM = Upstream.SERVER;

    /**
     * A restart finds the schedule's trigger already in the database (it is kept for the
     * replicas): it must not fire before Camel is up, and the first scheduled sync follows the
     * start within seconds.
     */
    @Test
    void aRestartWithTheTriggerStoredLogsNoErrorAndSyncsWithinSeconds(CapturedOutput output) {
        ExternalPostgres database = new ExternalPostgres();
        String[] schedule = {"--soukosync.schedule.enabled=true", "--soukosync.schedule.interval-seconds=3600",
                "--spring.quartz.scheduler-name=restart-" + System.nanoTime()};
        try {
            try (ConfigurableApplicationContext first = Replicas.start(database.jdbcUrl(), schedule)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> scheduledRuns(first) == 1);
            }
            int from = output.getAll().length();

            try (ConfigurableApplicationContext second = Replicas.start(database.jdbcUrl(), schedule)) {
                // the interval is an hour: only the stored trigger's fire at start can run it
                await().atMost(Duration.ofSeconds(10)).until(() -> scheduledRuns(second) == 2);
                assertThat(output.getAll().substring(from)).doesNotContain(" ERROR ");
            }
        } finally {
            database.stop();
        }
    }

    private static long scheduledRuns(ConfigurableApplicationContext app) {
        return new MirrorDatabase(app.getBean(JdbcTemplate.class))
                .count("SELECT count(*) FROM sync_runs WHERE trigger = 'schedule' AND outcome = 'ok'");
    }
}
