package co.soukosync.sync;

import java.math.BigDecimal;
import java.util.Map;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/**
 * The completeness receipt of a run, checked inside its transaction before it commits: the
 * user's linked warehouses must be exactly the upstream's (same number, all of them in the
 * answer), and the order-independent sum of the digests of their typed columns, as the
 * database stored them, must equal the sum computed from the upstream records. Anything else
 * fails the run as "mismatch" and rolls it back.
 */
@Component("receipt")
public class Receipt {

    /** Compares the mirror's side (sql/verify-receipt.sql) with the upstream's (the run's reader). */
    public void verify(@Variable("run") SyncRun run, @Variable("mirrorReceipt") Map<String, Object> mirror) {
        long upstream = run.getWarehouses().getCount();
        long links = ((Number) mirror.get("links")).longValue();
        // the SQL sum is exact; the upstream's wraps at 64 bits: compare the low 64 bits
        long digest = ((BigDecimal) mirror.get("digest_sum")).toBigInteger().longValue();
        if (links != upstream) {
            throw new SyncFailure("mismatch", "verify", "the mirror links the user to " + links
                    + " warehouses, the upstream listed " + upstream + "; nothing of the run was written");
        }
        if (digest != run.getWarehouses().getDigestSum()) {
            throw new SyncFailure("mismatch", "verify", "the mirror's " + links + " warehouses of the user do not hold "
                    + "the values the upstream sent (their digests differ); nothing of the run was written");
        }
        run.getCounts().verified(upstream, links);
    }

    /** The store must not commit a run whose lock ended with its connection (sql/run-lock-check.sql). */
    public void lockHeld(@Variable("run") SyncRun run, @Variable("lockHeld") Boolean held) {
        if (!Boolean.TRUE.equals(held)) {
            throw new SyncFailure("db_error", "store", "the run lost its lock (its database connection ended) "
                    + "and another run may have started; nothing of it was written");
        }
    }

    /** The run's history row must still be open when the run commits (sql/run-finish-ok.sql closed it, 1 row). */
    public void rowClosed(@Variable("rowsClosed") Number closed) {
        if (closed == null || closed.longValue() != 1) {
            throw new SyncFailure("db_error", "store", "the run's history row was closed while it ran "
                    + "(its lock was lost); nothing of it was written");
        }
    }
}
