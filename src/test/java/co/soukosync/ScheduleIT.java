package co.soukosync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

// a running schedule would keep calling the shared WireMock upstream during later test classes
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestPropertySource(properties = {
        "soukosync.schedule.enabled=true",
        "soukosync.schedule.interval-seconds=1",
})
class ScheduleIT extends IntegrationSupport {

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
