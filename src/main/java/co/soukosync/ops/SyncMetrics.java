package co.soukosync.ops;

import co.soukosync.history.RunAnswer;
import co.soukosync.history.RunAnswer.Changes;
import co.soukosync.db.SqlFiles;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Body;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The sync's own metrics, beside Camel's route metrics:
 * soukosync_sync_runs_total{trigger,outcome,kind} (kind: sync or dry_run),
 * soukosync_sync_duration_seconds (a histogram), soukosync_sync_rows{entity,change} and
 * soukosync_sync_last_success_timestamp_seconds. The last two are the last successful real
 * run's, never a dry run's, and are read from the history at start.
 */
@Component("syncMetrics")
public class SyncMetrics {

    private static final Logger log = LoggerFactory.getLogger(SyncMetrics.class);
    /** Who starts runs: the schedule, PATCH syncall, PATCH syncast. Dry runs come from syncall only. */
    private static final List<String> TRIGGERS = List.of("schedule", "call", "cast");
    private static final List<String> OUTCOMES = List.of("ok", "error");
    /** A scheduled fire that found a run in progress. */
    private static final String SKIPPED = "skipped";

    private final MeterRegistry registry;
    private final JdbcTemplate jdbc;
    private final Timer duration;
    private final Map<String, AtomicLong> rows = new ConcurrentHashMap<>();
    private final AtomicLong lastSuccess = new AtomicLong();
    private final String lastSuccessQuery = SqlFiles.read("metrics-last-success.sql");

    SyncMetrics(MeterRegistry registry, JdbcTemplate jdbc) {
        this.registry = registry;
        this.jdbc = jdbc;
        this.duration = Timer.builder("soukosync.sync.duration").description("How long sync runs take, from admission to answer")
                .serviceLevelObjectives(List.of(0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0).stream()
                        .map(s -> Duration.ofMillis((long) (s * 1000))).toArray(Duration[]::new))
                .register(registry);
        Gauge.builder("soukosync.sync.last.success.timestamp", lastSuccess, AtomicLong::doubleValue)
                .description("When the last successful sync (not a dry run) ended, in seconds since the epoch")
                .baseUnit("seconds").register(registry);
        for (String entity : new String[] {"users", "warehouses"}) {
            for (String change : new String[] {"inserted", "updated", "unchanged"}) {
                rowsGauge(entity, change);
            }
        }
        rowsGauge("links", "added");
        rowsGauge("links", "removed");
        // every series a run can count exists from the start, at 0: Prometheus' increase() and
        // rate() see the first failure of a kind as a step from 0, not as a new series at 1
        for (String trigger : TRIGGERS) {
            for (String outcome : OUTCOMES) {
                runs(trigger, outcome, false);
            }
        }
        for (String outcome : OUTCOMES) {
            runs("call", outcome, true);
        }
        runs("schedule", SKIPPED, false);
    }

    /** The last success and its counts, from the history: a restart does not reset them to zero. */
    @EventListener(ApplicationReadyEvent.class)
    void readHistory() {
        try {
            jdbc.query(lastSuccessQuery, row -> {
                Timestamp finished = row.getTimestamp("finished_at");
                lastSuccess.set(finished.toInstant().getEpochSecond());
                for (String column : rows.keySet()) {
                    rows.get(column).set(row.getLong(column.replace('/', '_')));
                }
            });
        } catch (DataAccessException e) {
            log.warn("The last successful sync could not be read from the history: {}", e.getMostSpecificCause().getMessage());
        }
    }

    /** Counts a finished run from its answer. */
    public void record(@Body RunAnswer answer) {
        if (answer == null || answer.runId() == null) {
            return;
        }
        runs(answer.trigger(), answer.response(), answer.isDryRun()).increment();
        if (answer.durationMs() != null) {
            duration.record(Duration.ofMillis(answer.durationMs()));
        }
        if (answer.ok() && !answer.isDryRun() && answer.counts() != null) {
            lastSuccess.set(System.currentTimeMillis() / 1000);
            set("users", answer.counts().users());
            set("warehouses", answer.counts().warehouses());
            rows.get("links/added").set(answer.counts().links().added());
            rows.get("links/removed").set(answer.counts().links().removed());
        }
    }

    /** Counts a scheduled fire that found a run in progress. */
    public void skipped() {
        runs("schedule", SKIPPED, false).increment();
    }

    private void set(String entity, Changes changes) {
        rows.get(entity + "/inserted").set(changes.inserted());
        rows.get(entity + "/updated").set(changes.updated());
        rows.get(entity + "/unchanged").set(changes.unchanged());
    }

    private Counter runs(String trigger, String outcome, boolean dryRun) {
        return Counter.builder("soukosync.sync.runs").description("Sync runs by trigger, outcome and kind (sync or dry_run)")
                .tag("trigger", trigger).tag("outcome", outcome).tag("kind", dryRun ? "dry_run" : "sync").register(registry);
    }

    private void rowsGauge(String entity, String change) {
        AtomicLong value = rows.computeIfAbsent(entity + "/" + change, k -> new AtomicLong());
        Gauge.builder("soukosync.sync.rows", value, AtomicLong::doubleValue)
                .description("Rows the last successful sync (not a dry run) inserted, updated, left unchanged, linked or unlinked")
                .tag("entity", entity).tag("change", change).register(registry);
    }
}
