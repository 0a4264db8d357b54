package co.soukosync.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The half of the gate that spans replicas: a PostgreSQL session advisory lock, held for the
 * whole run by a connection of its own. Every replica on the database takes the same lock, so
 * runs never overlap across them; PostgreSQL frees it when that connection ends, so a replica
 * that dies mid-run frees it too.
 */
@Component
class RunLock {

    private static final Logger log = LoggerFactory.getLogger(RunLock.class);
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final DataSource dataSource;
    private final long key;
    private final String trySql = sql("run-lock-try.sql");
    private final String waitSql = sql("run-lock-wait.sql");
    private final String releaseSql = sql("run-lock-release.sql");

    RunLock(DataSource dataSource, @Value("${soukosync.sync.lock-key}") long key) {
        this.dataSource = dataSource;
        this.key = key;
    }

    /**
     * Takes the lock: at once or not at all for a zero wait, within the wait otherwise, and
     * for as long as it takes for a null wait.
     *
     * @return the held lock, to be closed when the run ends; null when it was not got in time
     */
    AutoCloseable acquire(Duration wait) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            boolean held = wait != null && wait.isZero() ? query(connection, trySql) : waitFor(connection, wait);
            if (!held) {
                connection.close();
                return null;
            }
            return () -> release(connection);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private boolean waitFor(Connection connection, Duration wait) throws SQLException {
        try (Statement session = connection.createStatement()) {
            session.execute("SET lock_timeout = " + (wait == null ? 0 : Math.max(1, wait.toMillis())));
            try {
                query(connection, waitSql); // pg_advisory_lock returns void: getting here is holding it
                return true;
            } catch (SQLException e) {
                if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                    return false;
                }
                throw e;
            } finally {
                session.execute("RESET lock_timeout");
            }
        }
    }

    private void release(Connection connection) {
        try (connection) {
            query(connection, releaseSql);
        } catch (SQLException e) {
            // the connection is gone, and PostgreSQL freed the lock with it
            log.debug("run lock released with its connection: {}", e.getMessage());
        }
    }

    private boolean query(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, key);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                Object value = result.getObject(1);
                return !(value instanceof Boolean b) || b;
            }
        }
    }

    private static String sql(String name) {
        return SqlFiles.read(name);
    }
}
