package co.soukosync;

import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/** The application's database, as a test reads and resets it. */
public final class MirrorDatabase {

    private final JdbcTemplate jdbc;

    public MirrorDatabase(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Empty mirror, no history, calm alerts: as a first start finds it. */
    public void clear() {
        jdbc.execute("TRUNCATE users, warehouses, users_warehouses, sync_runs RESTART IDENTITY CASCADE");
        jdbc.update("UPDATE alert_state SET incident = NULL, reason = NULL, consecutive_failures = 0");
    }

    public List<Map<String, Object>> rows(String sql, Object... args) {
        return jdbc.queryForList(sql, args);
    }

    public long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    /** The mirror as a comparable snapshot: every row of the three mirror tables. */
    public List<List<Map<String, Object>>> mirror() {
        return List.of(
                rows("SELECT * FROM users ORDER BY id"),
                rows("SELECT * FROM warehouses ORDER BY id"),
                rows("SELECT * FROM users_warehouses ORDER BY user_id, warehouse_id"));
    }
}
