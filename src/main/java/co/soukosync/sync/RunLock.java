package co.soukosync.sync;

import co.soukosync.config.SoukosyncProperties;
import co.soukosync.db.SqlFiles;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The half of the gate that spans replicas: a PostgreSQL session advisory lock, held for the
 * whole run by a connection of its own. Every replica on the database takes the same lock, so
 * runs never overlap across them; PostgreSQL frees it when that connection ends, so a replica
 * that dies mid-run frees it too. That connection can also end while the run goes on (killed by
 * an administrator, a network cut): the store checks, in its own transaction, that the backend
 * which took the lock still holds it (sql/run-lock-check.sql), and does not commit otherwise.
 */
@Component
class RunLock {

    private static final Logger log = LoggerFactory.getLogger(RunLock.class);
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final DataSource dataSource;
    private final long key;
    private final String trySql = SqlFiles.read("run-lock-try.sql");
    private final String waitSql = SqlFiles.read("run-lock-wait.sql");
    private final String releaseSql = SqlFiles.read("run-lock-release.sql");

    @Autowired
    RunLock(DataSource dataSource, SoukosyncProperties properties) {
        this(dataSource, properties.sync().lockKey());
    }

    RunLock(DataSource dataSource, long key) {
        this.dataSource = dataSource;
        this.key = key;
    }

    /** A lock taken: the backend that holds it, and how to give it back. */
    record Held(long key, long backendPid, Runnable release) implements AutoCloseable {
        @Override
        public void close() {
            release.run();
        }
    }

    /**
     * Takes the lock: at once or not at all for a zero wait, within the wait otherwise, and
     * for as long as it takes for a null wait.
     *
     * @return the held lock, to be closed when the run ends; null when it was not got in time
     */
    Held acquire(Duration wait) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            Long pid = wait != null && wait.isZero() ? take(connection, trySql) : waitFor(connection, wait);
            if (pid == null) {
                connection.close();
                return null;
            }
            return new Held(key, pid, () -> release(connection));
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private Long waitFor(Connection connection, Duration wait) throws SQLException {
        try (Statement session = connection.createStatement()) {
            session.execute("SET lock_timeout = " + (wait == null ? 0 : Math.max(1, wait.toMillis())));
            try {
                return take(connection, waitSql);
            } catch (SQLException e) {
                if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                    return null;
                }
                throw e;
            } finally {
                session.execute("RESET lock_timeout");
            }
        }
    }

    private void release(Connection connection) {
        try (connection; PreparedStatement statement = connection.prepareStatement(releaseSql)) {
            statement.setLong(1, key);
            statement.execute();
        } catch (SQLException e) {
            // the connection is gone, and PostgreSQL freed the lock with it
            log.debug("run lock released with its connection: {}", e.getMessage());
        }
    }

    /** Runs a lock statement (columns: held, pid); the backend's pid when the lock is held. */
    private Long take(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, key);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getBoolean("held") ? result.getLong("pid") : null;
            }
        }
    }
}
