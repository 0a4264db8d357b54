package co.soukosync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

@ExtendWith(OutputCaptureExtension.class)
// a running schedule would keep calling the shared WireMock upstream during later test classes
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestPropertySource(properties = {
        "soukosync.schedule.enabled=true",
        "soukosync.schedule.interval-seconds=1",
})
class ScheduleIT extends IntegrationSupport {

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
        try (ConfigurableApplicationContext first = startReplica(database.jdbcUrl(), schedule)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> scheduledRuns(first) == 1);
        }
        int from = output.getAll().length();

        try (ConfigurableApplicationContext second = startReplica(database.jdbcUrl(), schedule)) {
            // the interval is an hour: only the stored trigger's fire at start can run it
            await().atMost(Duration.ofSeconds(10)).until(() -> scheduledRuns(second) == 2);
            assertThat(output.getAll().substring(from)).doesNotContain(" ERROR ");
        } finally {
            database.stop();
        }
    }

    private static long scheduledRuns(ConfigurableApplicationContext app) {
        Long n = app.getBean(org.springframework.jdbc.core.JdbcTemplate.class).queryForObject(
                "SELECT count(*) FROM sync_runs WHERE trigger = 'schedule' AND outcome = 'ok'", Long.class);
        return n == null ? 0 : n;
    }

    @Test
    void theScheduleSyncsEveryIntervalAndSkipsFiresWhileACallRuns() {
        await().atMost(Duration.ofSeconds(15)).until(() ->
                count("SELECT count(*) FROM sync_runs WHERE trigger = 'schedule' AND outcome = 'ok'") >= 2);
        assertThat(count("SELECT count(*) FROM warehouses")).isEqualTo(5);

        // a call that takes 2.5 s: the fires of the schedule meanwhile are skipped, not queued
        Upstream.serveWarehouses(Upstream.json(Upstream.warehousesAnswer().toString()).withFixedDelay(2500));
        Answer call = patch("/api/syncall");
        assertThat(call.json().get("response").asText()).isEqualTo("ok");
        long callRun = call.json().get("run_id").asLong();
        Upstream.serveRecorded();

        await().atMost(Duration.ofSeconds(15)).until(() ->
                count("SELECT count(*) FROM sync_runs WHERE trigger = 'schedule' AND outcome = 'ok' AND id > ?", callRun) >= 1);
        ConcurrencyIT.assertNoOverlap(rows("SELECT id, started_at, finished_at FROM sync_runs "
                + "WHERE outcome <> 'running' ORDER BY started_at"));
    }
}
