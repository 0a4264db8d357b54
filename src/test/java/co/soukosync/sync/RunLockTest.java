package co.soukosync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import co.soukosync.ExternalPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The run lock that spans replicas, on a real PostgreSQL: another replica is another session
 * holding the same advisory lock.
 */
class RunLockTest {

    static final long KEY = 4242;

    private final DataSource database = ExternalPostgres.shared().dataSource();
    private final RunLock lock = new RunLock(database, KEY);
    private Connection otherReplica;

    @BeforeEach
    void anotherReplicaConnects() throws SQLException {
        otherReplica = database.getConnection();
    }

    @AfterEach
    void anotherReplicaDisconnects() throws SQLException {
        otherReplica.close();
    }

    private void otherReplicaTakes() throws SQLException {
        try (Statement statement = otherReplica.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + KEY + ")");
        }
    }

    private void otherReplicaLetsGo() throws SQLException {
        try (Statement statement = otherReplica.createStatement()) {
            statement.execute("SELECT pg_advisory_unlock(" + KEY + ")");
        }
    }

    /** Whether the other replica gets the lock now. */
    private boolean otherReplicaGetsIt() throws SQLException {
        try (Statement statement = otherReplica.createStatement();
                var result = statement.executeQuery("SELECT pg_try_advisory_lock(" + KEY + ")")) {
            result.next();
            boolean got = result.getBoolean(1);
            if (got) {
                otherReplicaLetsGo();
            }
            return got;
        }
    }

    @Test
    void aFreeLockIsTakenAtOnceAndHeldByABackendUntilClosed() throws Exception {
        try (RunLock.Held held = lock.acquire(Duration.ZERO)) {
            assertThat(held).isNotNull();
            assertThat(held.key()).isEqualTo(KEY);
            assertThat(held.backendPid()).isPositive();
            assertThat(otherReplicaGetsIt()).isFalse();
        }
        assertThat(otherReplicaGetsIt()).isTrue();
    }

    @Test
    void aLockHeldByAnotherReplicaIsNotTakenAtOnce() throws Exception {
        otherReplicaTakes();

        assertThat(lock.acquire(Duration.ZERO)).isNull();

        otherReplicaLetsGo();
        try (RunLock.Held held = lock.acquire(Duration.ZERO)) {
            assertThat(held).isNotNull();
        }
    }

    @Test
    void aBoundedWaitEndsWithoutTheLockWhenTheOtherKeepsIt() throws Exception {
        otherReplicaTakes();

        long start = System.nanoTime();
        RunLock.Held held = lock.acquire(Duration.ofMillis(300));

        assertThat(held).isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(290), Duration.ofSeconds(5));
        // the session's lock_timeout was reset: the same lock is waited for without a bound next time
        CompletableFuture<RunLock.Held> unbounded = CompletableFuture.supplyAsync(() -> acquire(null));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !unbounded.isDone());
        otherReplicaLetsGo();
        try (RunLock.Held got = unbounded.get()) {
            assertThat(got).isNotNull();
        }
    }

    @Test
    void aWaitEndsWithTheLockWhenTheOtherLetsGo() throws Exception {
        otherReplicaTakes();
        CompletableFuture<RunLock.Held> waiting = CompletableFuture.supplyAsync(() -> acquire(Duration.ofSeconds(30)));
        await().atMost(Duration.ofSeconds(10)).until(() -> waiters() == 1);

        otherReplicaLetsGo();

        try (RunLock.Held held = waiting.get()) {
            assertThat(held).isNotNull();
            assertThat(otherReplicaGetsIt()).isFalse();
        }
    }

    @Test
    void aLockWhoseConnectionEndsIsFreedAndItsCloseDoesNotFail() throws Exception {
        RunLock.Held held = lock.acquire(Duration.ZERO);
        assertThat(otherReplicaGetsIt()).isFalse();

        // an administrator (or a network cut) ends the connection that holds the lock
        try (Statement statement = otherReplica.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(" + held.backendPid() + ")");
        }

        await().atMost(Duration.ofSeconds(10)).until(this::otherReplicaGetsIt);
        held.close();
    }

    /** Sessions waiting for the lock. */
    private long waiters() throws SQLException {
        try (Statement statement = otherReplica.createStatement();
                var result = statement.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                        + "AND NOT granted AND ((classid::bigint << 32) | objid::bigint) = " + KEY)) {
            result.next();
            return result.getLong(1);
        }
    }

    private RunLock.Held acquire(Duration wait) {
        try {
            return lock.acquire(wait);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
