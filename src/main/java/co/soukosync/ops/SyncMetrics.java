package co.soukosync.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Body;
import org.springframework.stereotype.Component;

/**
 * The sync's own metrics, beside Camel's route metrics, from each run's answer:
 * soukosync_sync_runs_total{trigger,outcome}, soukosync_sync_duration_seconds,
 * soukosync_sync_rows{entity,change} (the last successful run's counts) and
 * soukosync_sync_last_success_timestamp_seconds.
 */
@Component("syncMetrics")
public class SyncMetrics {

    private final MeterRegistry registry;
    private final Timer duration;
    private final Map<String, AtomicLong> rows = new ConcurrentHashMap<>();
    private final AtomicLong lastSuccess = new AtomicLong();

    SyncMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.duration = Timer.builder("soukosync.sync.duration").description("How long sync runs take")
                .register(registry);
        Gauge.builder("soukosync.sync.last.success.timestamp", lastSuccess, AtomicLong::doubleValue)
                .description("When the last successful sync ended (epoch seconds)").baseUnit("seconds")
                .register(registry);
        for (String entity : new String[] {"users", "warehouses"}) {
            for (String change : new String[] {"inserted", "updated", "unchanged"}) {
                rowsGauge(entity, change);
            }
        }
        rowsGauge("links", "added");
        rowsGauge("links", "removed");
    }

    /** Counts a finished run from its answer (see RunAnswers). */
    @SuppressWarnings("unchecked")
    public void record(@Body Map<String, Object> answer) {
        if (answer == null || answer.get("run_id") == null) {
            return;
        }
        String outcome = String.valueOf(answer.get("response"));
        runs(String.valueOf(answer.get("trigger")), outcome).increment();
        if (answer.get("duration_ms") instanceof Number ms) {
            duration.record(Duration.ofMillis(ms.longValue()));
        }
        if ("ok".equals(outcome) && answer.get("counts") instanceof Map<?, ?> counts) {
            lastSuccess.set(Instant.now().getEpochSecond());
            counts.forEach((entity, changes) -> ((Map<String, Object>) changes).forEach((change, n) ->
                    rows.get(entity + "/" + change).set(((Number) n).longValue())));
        }
    }

    /** Counts a scheduled fire that found a run in progress. */
    public void skipped() {
        runs("schedule", "skipped").increment();
    }

    private Counter runs(String trigger, String outcome) {
        return Counter.builder("soukosync.sync.runs").description("Sync runs by trigger and outcome")
                .tag("trigger", trigger).tag("outcome", outcome).register(registry);
    }

    private void rowsGauge(String entity, String change) {
        AtomicLong value = rows.computeIfAbsent(entity + "/" + change, k -> new AtomicLong());
        Gauge.builder("soukosync.sync.rows", value, AtomicLong::doubleValue)
                .description("Rows the last successful sync inserted, updated, left unchanged, linked or unlinked")
                .tag("entity", entity).tag("change", change).register(registry);
    }
}
