package co.soukosync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import co.soukosync.ExternalPostgres;
import co.soukosync.sync.SyncGate.RunRequest;
import co.soukosync.sync.SyncRun.Trigger;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.UnitOfWorkHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gate that lets one sync run at a time, in this process and across the replicas on the
 * database (a real PostgreSQL; another replica is another session holding the run lock). What a
 * run took is given back when its exchange is done, as Camel does at the end of a route.
 */
class SyncGateTest {

    static final long KEY = 4243;

    private final DataSource database = ExternalPostgres.shared().dataSource();
    private final CamelContext camel = new DefaultCamelContext();
    /** A call waits at most 1 s for its turn. */
    private final SyncGate gate = new SyncGate(1, 600, 60, true, new RunLock(database, KEY));
    private Connection otherReplica;

    @AfterEach
    void otherReplicaDisconnects() throws SQLException {
        if (otherReplica != null) {
            otherReplica.close();
        }
    }

    private Exchange exchange() {
        return new DefaultExchange(camel);
    }

    /** What the end of the run's route does: its exchange is done. */
    private static void done(Exchange exchange) {
        UnitOfWorkHelper.doneSynchronizations(exchange, exchange.getExchangeExtension().handoverCompletions());
    }

    private void otherReplicaRuns() throws SQLException {
        otherReplica = database.getConnection();
        try (Statement statement = otherReplica.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + KEY + ")");
        }
    }

    /**
     * The other replica's run ends: its lock is released before this returns (closing its connection
     * alone returns before the server has ended the session and released the lock).
     */
    private void otherReplicaEnds() throws SQLException {
        try (Statement statement = otherReplica.createStatement()) {
            statement.execute("SELECT pg_advisory_unlock(" + KEY + ")");
        }
        otherReplica.close();
    }

    @Test
    void theScheduleIsLetInWhenNothingRunsAndSkippedWhileARunHoldsTheGate() throws Exception {
        Exchange first = exchange();
        SyncRun run = gate.tryEnter(first);
        assertThat(run).isNotNull();
        assertThat(run.getTrigger()).isEqualTo(Trigger.schedule);
        assertThat(run.getLockHolder()).isPositive();

        assertThat(gate.tryEnter(exchange())).as("a fire while the run goes on").isNull();

        done(first);
        Exchange next = exchange();
        assertThat(gate.tryEnter(next)).as("a fire once it is over").isNotNull();
        done(next);
    }

    @Test
    void theScheduleIsSkippedWhileAnotherReplicaRunsAndLetInOnceItIsOver() throws Exception {
        otherReplicaRuns();

        assertThat(gate.tryEnter(exchange())).isNull();

        otherReplicaEnds();
        Exchange next = exchange();
        assertThat(gate.tryEnter(next)).as("the skipped fire gave back what it took in this process").isNotNull();
        done(next);
    }

    @Test
    void aFailedRunGivesTheGateBackToo() throws Exception {
        Exchange failed = exchange();
        gate.tryEnter(failed);
        failed.setException(new IllegalStateException("the run failed"));

        done(failed);

        Exchange next = exchange();
        assertThat(gate.tryEnter(next)).isNotNull();
        done(next);
    }

    @Test
    void aCallWaitsForTheRunInProgressAndRunsAfterIt() throws Exception {
        Exchange scheduled = exchange();
        gate.tryEnter(scheduled);
        Exchange called = exchange();
        CompletableFuture<SyncRun> call = CompletableFuture.supplyAsync(() -> enterWithin(called, new RunRequest(true, true)));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> !call.isDone());

        done(scheduled);

        SyncRun run = call.get();
        assertThat(run.getTrigger()).isEqualTo(Trigger.call);
        assertThat(run.isDryRun()).isTrue();
        assertThat(run.isForce()).isTrue();
        done(called);
    }

    @Test
    void aCallThatWaitedItsBoundIsBusy() throws Exception {
        Exchange scheduled = exchange();
        gate.tryEnter(scheduled);

        long start = System.nanoTime();
        assertThatThrownBy(() -> gate.enterWithin(exchange(), new RunRequest(false, false)))
                .isInstanceOf(SyncBusyException.class).hasMessageContaining("after 1 s of waiting");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(950), Duration.ofSeconds(5));
        done(scheduled);
    }

    @Test
    void aCallWhileAnotherReplicaRunsPastTheBoundIsBusyAndLeavesTheGateFree() throws Exception {
        otherReplicaRuns();

        assertThatThrownBy(() -> gate.enterWithin(exchange(), new RunRequest(false, false)))
                .isInstanceOf(SyncBusyException.class);

        otherReplicaEnds();
        Exchange next = exchange();
        assertThat(gate.tryEnter(next)).isNotNull();
        done(next);
    }

    @Test
    void castsWhileOneIsPendingJoinItAndTheQueuedOneWaitsAsLongAsItTakes() throws Exception {
        Exchange scheduled = exchange();
        gate.tryEnter(scheduled);

        assertThat(gate.enqueue()).as("the first cast queues a run").isTrue();
        for (int i = 0; i < 3; i++) {
            assertThat(gate.enqueue()).as("a cast while one is pending joins it").isFalse();
        }
        Exchange queued = exchange();
        CompletableFuture<SyncRun> cast = CompletableFuture.supplyAsync(() -> enterQueued(queued));
        // far past the bound of a call
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> !cast.isDone());

        done(scheduled);

        assertThat(cast.get().getTrigger()).isEqualTo(Trigger.cast);
        assertThat(gate.enqueue()).as("a cast once the queued one started queues another").isTrue();
        done(queued);
    }

    private SyncRun enterWithin(Exchange exchange, RunRequest request) {
        try {
            return gate.enterWithin(exchange, request);
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private SyncRun enterQueued(Exchange exchange) {
        try {
            return gate.enterQueued(exchange);
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
