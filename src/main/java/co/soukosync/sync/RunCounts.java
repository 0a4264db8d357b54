package co.soukosync.sync;

import java.util.HashMap;
import java.util.Map;

/**
 * What one run wrote, as the database reported it (RETURNING xmax = 0 tells an insert from an
 * update; rows equal to the upstream are not written and count as unchanged).
 */
public final class RunCounts {

    private long userId;
    private long usersTotal;
    private long usersInserted;
    private long usersUpdated;
    private long warehousesTotal;
    private long warehousesInserted;
    private long warehousesUpdated;
    private long linksAdded;
    private long linksRemoved;

    void addUsers(long userId, long total, long inserted, long updated) {
        this.userId = userId;
        usersTotal += total;
        usersInserted += inserted;
        usersUpdated += updated;
    }

    void addWarehouses(long total, long inserted, long updated, long linked) {
        warehousesTotal += total;
        warehousesInserted += inserted;
        warehousesUpdated += updated;
        linksAdded += linked;
    }

    void addRemovedLinks(long removed) {
        linksRemoved += removed;
    }

    /** The parameters of run-finish-ok.sql (the run id comes from the exchange). */
    public Map<String, Object> asParams() {
        Map<String, Object> params = new HashMap<>();
        params.put("userId", userId);
        params.put("usersInserted", usersInserted);
        params.put("usersUpdated", usersUpdated);
        params.put("usersUnchanged", getUsersUnchanged());
        params.put("warehousesInserted", warehousesInserted);
        params.put("warehousesUpdated", warehousesUpdated);
        params.put("warehousesUnchanged", getWarehousesUnchanged());
        params.put("linksAdded", linksAdded);
        params.put("linksRemoved", linksRemoved);
        return params;
    }

    public long getUserId() {
        return userId;
    }

    public long getUsersInserted() {
        return usersInserted;
    }

    public long getUsersUpdated() {
        return usersUpdated;
    }

    public long getUsersUnchanged() {
        return usersTotal - usersInserted - usersUpdated;
    }

    public long getWarehousesInserted() {
        return warehousesInserted;
    }

    public long getWarehousesUpdated() {
        return warehousesUpdated;
    }

    public long getWarehousesUnchanged() {
        return warehousesTotal - warehousesInserted - warehousesUpdated;
    }

    public long getLinksAdded() {
        return linksAdded;
    }

    public long getLinksRemoved() {
        return linksRemoved;
    }
}
