package co.soukosync.sync;

import java.util.HashMap;
import java.util.Map;

/**
 * What one run wrote, as the database reported it (RETURNING xmax = 0 tells an insert from an
 * update; rows equal to the upstream are not written and count as unchanged), and what its
 * receipt found before it committed.
 */
public final class RunCounts {

    private long usersInserted;
    private long usersUpdated;
    private long usersUnchanged;
    private long warehousesInserted;
    private long warehousesUpdated;
    private long warehousesUnchanged;
    private long linksAdded;
    private long linksRemoved;
    private long linksBefore;
    private Long verifiedWarehouses;
    private Long verifiedLinks;

    /** The counts of upsert-user.sql. */
    void users(Map<String, Object> row) {
        usersInserted = number(row, "inserted");
        usersUpdated = number(row, "updated");
        usersUnchanged = number(row, "total") - usersInserted - usersUpdated;
    }

    /** The counts of merge-warehouses.sql. */
    void warehouses(Map<String, Object> row) {
        warehousesInserted = number(row, "inserted");
        warehousesUpdated = number(row, "updated");
        warehousesUnchanged = number(row, "total") - warehousesInserted - warehousesUpdated;
        linksAdded = number(row, "links_added");
    }

    /** The counts of unlink-warehouses.sql: links removed, and the user's links before the run. */
    void unlinked(Map<String, Object> row) {
        linksRemoved = number(row, "removed");
        linksBefore = number(row, "linked") - linksAdded;
    }

    void verified(long warehouses, long links) {
        verifiedWarehouses = warehouses;
        verifiedLinks = links;
    }

    /** The parameters of run-finish-ok.sql. */
    Map<String, Object> asParams() {
        Map<String, Object> params = new HashMap<>();
        params.put("usersInserted", usersInserted);
        params.put("usersUpdated", usersUpdated);
        params.put("usersUnchanged", usersUnchanged);
        params.put("warehousesInserted", warehousesInserted);
        params.put("warehousesUpdated", warehousesUpdated);
        params.put("warehousesUnchanged", warehousesUnchanged);
        params.put("linksAdded", linksAdded);
        params.put("linksRemoved", linksRemoved);
        params.put("verifiedWarehouses", verifiedWarehouses);
        params.put("verifiedLinks", verifiedLinks);
        return params;
    }

    public long getLinksRemoved() {
        return linksRemoved;
    }

    public long getLinksBefore() {
        return linksBefore;
    }

    /** The user's links once the run is written. */
    public long getLinksAfter() {
        return linksBefore + linksAdded - linksRemoved;
    }

    private static long number(Map<String, Object> row, String column) {
        if (!(row.get(column) instanceof Number n)) {
            throw new IllegalStateException("the store statement returned no " + column);
        }
        return n.longValue();
    }
}
