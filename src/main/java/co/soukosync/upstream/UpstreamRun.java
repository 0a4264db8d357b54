package co.soukosync.upstream;

import java.time.Instant;

/**
 * What the upstream side needs of the run it works for (sync's SyncRun, in the exchange variable
 * "run"): the stage a failure belongs to, the run's deadlines, and where the answers go.
 */
public interface UpstreamRun {

    /** The stage the run is in (auth, fetch_user, fetch_warehouses, …): a failure names it. */
    String getStage();

    /** When the run must be over. */
    Instant getDeadline();

    /** When an upstream call of this run that starts then must be whole: the call's deadline, or the run's if sooner. */
    Instant callDeadline(Instant start);

    /** The user as the upstream answered it. */
    void user(long id, String json);

    /** The warehouses answer, read while the store writes. */
    void setWarehouses(WarehouseReader warehouses);
}
