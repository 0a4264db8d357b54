package co.soukosync.delivery;

import co.soukosync.config.SoukosyncProperties;
import co.soukosync.db.SqlFiles;
import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The delivery lease: exactly one replica on the database delivers the changes. It is a
 * PostgreSQL session advisory lock (soukosync.changes.lease-key, apart from the run lock), taken
 * with pg_try_advisory_lock and held by a connection of its own for as long as this replica
 * delivers. PostgreSQL frees it when that connection ends (the process stopped, was killed with
 * -9, lost the network), and another replica's next try takes it. Camel's master: component would
 * need a cluster service (ZooKeeper, Kubernetes leases…) that this service does not have; the
 * database the replicas share already is one.
 */
@Component("changesLease")
public class ChangesLease {

    private static final Logger log = LoggerFactory.getLogger("co.soukosync.delivery");

    private final DataSource dataSource;
    private final long key;
    private final String trySql = SqlFiles.read("changes-lease-try.sql");
    private final String releaseSql = SqlFiles.read("changes-lease-release.sql");
    private Connection held;

    @Autowired
    ChangesLease(DataSource dataSource, SoukosyncProperties properties) {
        this(dataSource, properties.changes().leaseKey());
    }

    ChangesLease(DataSource dataSource, long key) {
        this.dataSource = dataSource;
        this.key = key;
    }

    /**
     * True while this replica holds the lease: kept while its connection lives, taken when no
     * other session holds it. Never waits for it.
     */
    public synchronized boolean hold() {
        if (held != null) {
            if (alive(held)) {
                return true;
            }
            log.warn("This replica lost the delivery lease (its database connection ended); another replica may deliver now");
            close(held);
            held = null;
        }
        try {
            Connection connection = dataSource.getConnection();
            try (PreparedStatement statement = connection.prepareStatement(trySql)) {
                statement.setLong(1, key);
                try (ResultSet result = statement.executeQuery()) {
                    if (result.next() && result.getBoolean("held")) {
                        held = connection;
                        log.info("This replica delivers the changes (it took the delivery lease)");
                        return true;
                    }
                }
            } catch (SQLException | RuntimeException e) {
                close(connection);
                throw e;
            }
            close(connection);
            return false;
        } catch (SQLException e) {
            log.debug("delivery lease not taken: {}", e.getMessage());
            return false;
        }
    }

    /** Gives the lease back (at shutdown), so that another replica takes over at its next try. */
    @PreDestroy
    public synchronized void release() {
        if (held == null) {
            return;
        }
        try (PreparedStatement statement = held.prepareStatement(releaseSql)) {
            statement.setLong(1, key);
            statement.execute();
        } catch (SQLException e) {
            // the connection is gone, and PostgreSQL freed the lock with it
            log.debug("delivery lease released with its connection: {}", e.getMessage());
        }
        close(held);
        held = null;
    }

    private static boolean alive(Connection connection) {
        try {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void close(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("closing the delivery lease's connection: {}", e.getMessage());
        }
    }
}
