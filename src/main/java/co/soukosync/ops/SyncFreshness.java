package co.soukosync.ops;

import co.soukosync.config.SoukosyncProperties;
import co.soukosync.db.SqlFiles;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.dao.DataAccessException;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The health component "syncFreshness": DOWN when the last successful run is older than
 * SYNC_STALE_AFTER_SECONDS (default three scheduler intervals; counted from start-up while
 * there is none) or when the last three runs failed, with the reason in its details.
 */
@Component("syncFreshness")
class SyncFreshness implements HealthIndicator {

    private final JdbcTemplate jdbc;
    private final Duration staleAfter;
    private final Clock clock = Clock.systemUTC();
    private final Instant startedAt;
    private final String query;

    SyncFreshness(JdbcTemplate jdbc, ServiceStart serviceStart, SoukosyncProperties properties) {
        this.jdbc = jdbc;
        this.startedAt = serviceStart.startedAt();
        this.staleAfter = properties.staleAfter();
        this.query = SqlFiles.read("health-freshness.sql");
    }

    @Override
    public Health health() {
        Map<String, Object> row;
        try {
            row = jdbc.queryForMap(query);
        } catch (DataAccessException e) {
            // the exception's class is for the log, not for a health answer
            return Health.down().withDetail("reason", "database unreachable").build();
        }
        Instant lastOk = row.get("last_ok") instanceof Timestamp t ? t.toInstant() : null;
        List<String> lastOutcomes = List.of(row.get("last_outcomes") == null ? new String[0]
                : ((String) row.get("last_outcomes")).split(",", -1)).stream().filter(s -> !s.isEmpty()).toList();
        Instant now = clock.instant();
        Health.Builder health = Health.up()
                .withDetail("lastSuccess", lastOk == null ? "none" : lastOk.toString())
                .withDetail("lastOutcomes", lastOutcomes)
                .withDetail("staleAfterSeconds", staleAfter.toSeconds());
        Instant since = lastOk != null ? lastOk : startedAt;
        if (Duration.between(since, now).compareTo(staleAfter) > 0) {
            return health.down().withDetail("reason", lastOk == null
                    ? "no successful sync since start-up, " + Duration.between(startedAt, now).toSeconds() + " s ago"
                    : "the last successful sync is " + Duration.between(lastOk, now).toSeconds() + " s old").build();
        }
        if (lastOutcomes.size() == 3 && lastOutcomes.stream().allMatch("error"::equals)) {
            return health.down().withDetail("reason", "the last 3 runs failed: " + row.get("last_reason")).build();
        }
        return health.build();
    }
}
