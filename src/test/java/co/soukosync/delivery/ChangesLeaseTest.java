package co.soukosync.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import co.soukosync.ExternalPostgres;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The delivery lease on a real PostgreSQL: two replicas are two leases on one database; one holds
 * it, the other takes it when the first gives it back or its connection dies.
 */
class ChangesLeaseTest {

    static final long KEY = 4343;

    private final DataSource database = ExternalPostgres.shared().dataSource();
    private final ChangesLease one = new ChangesLease(database, KEY);
    private final ChangesLease other = new ChangesLease(database, KEY);

    @AfterEach
    void letGo() {
        one.release();
        other.release();
    }

    @Test
    void oneReplicaHoldsTheLeaseAndKeepsItWhileTheOtherTriesInVain() {
        assertThat(one.hold()).isTrue();
        assertThat(other.hold()).isFalse();
        assertThat(one.hold()).as("kept, not taken again").isTrue();
        assertThat(other.hold()).isFalse();
    }

    @Test
    void theOtherReplicaTakesItWhenTheHolderGivesItBack() {
        assertThat(one.hold()).isTrue();
        one.release();
        assertThat(other.hold()).isTrue();
        assertThat(one.hold()).isFalse();
    }

    @Test
    void theOtherReplicaTakesItWhenTheHoldersConnectionDiesAndTheHolderKnowsItLostIt() throws Exception {
        assertThat(one.hold()).isTrue();
        // what PostgreSQL does when the holder's process dies: its session ends (the timeout makes
        // the call wait until the session has ended and its locks are gone, not just signal it)
        try (Connection admin = database.getConnection(); Statement statement = admin.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(pid, 10000) FROM pg_locks WHERE locktype = 'advisory' AND objid = " + KEY);
        }
        assertThat(other.hold()).isTrue();
        assertThat(one.hold()).as("the first replica sees its connection gone, and the lease taken").isFalse();
    }
}
