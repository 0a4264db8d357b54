package co.soukosync.sync;

import co.soukosync.db.SqlFiles;
import co.soukosync.upstream.UpstreamDataException;
import co.soukosync.upstream.WarehouseReader;
import co.soukosync.upstream.WarehouseRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import java.util.List;
import java.util.Map;
import org.apache.camel.Variable;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.postgresql.copy.PGCopyOutputStream;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;

/**
 * The Java side of the store (sync-store in sync-pipeline.camel.yaml): the warehouses answer,
 * read as it arrives, is copied (COPY, the fastest way into PostgreSQL) into a temporary table
 * of the store's transaction, from which one statement each merges, links, unlinks and
 * verifies (sql/merge-warehouses.sql, …); and the counts those statements return go to the run.
 * Parsing and writing overlap: PostgreSQL takes in the rows while the next ones are read.
 */
@Component("syncStore")
public class SyncStore {

    private static final Logger log = LoggerFactory.getLogger(SyncStore.class);
    private static final int BUFFER = 1 << 16;

    private final DataSource dataSource;
    private final String create = SqlFiles.read("staging-create.sql");
    private final String copy = SqlFiles.read("staging-copy.sql");
    private final String duplicate = SqlFiles.read("staging-duplicate.sql");

    SyncStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The counts of upsert-user.sql. */
    public void userStored(@Variable("run") SyncRun run, @Variable("userCounts") Map<String, Object> counts) {
        run.getCounts().users(counts);
    }

    /** The counts of merge-warehouses.sql. */
    public void warehousesStored(@Variable("run") SyncRun run, @Variable("warehouseCounts") Map<String, Object> counts) {
        run.getCounts().warehouses(counts);
    }

    /** The counts of unlink-warehouses.sql. */
    public void linksRemoved(@Variable("run") SyncRun run, @Variable("unlinkCounts") Map<String, Object> counts) {
        run.getCounts().unlinked(counts);
    }

    /** A dry run's first changes (run-changes.sql), read before its transaction is rolled back. */
    public void previewed(@Variable("run") SyncRun run, @Variable("preview") List<Map<String, Object>> changes) {
        run.setPreview(changes);
    }

    /** Copies the run's warehouses into the table incoming_warehouses of the current transaction. */
    public void copyWarehouses(@Variable("run") SyncRun run) throws SQLException, IOException {
        long start = System.nanoTime();
        // the connection of the transaction that `transacted` opened, as camel-sql uses it
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try (Statement statement = connection.createStatement()) {
            statement.execute(create);
        }
        WarehouseReader warehouses = run.getWarehouses();
        PGCopyOutputStream out = new PGCopyOutputStream(connection.unwrap(PGConnection.class), copy, BUFFER);
        try {
            CopyRow row = new CopyRow();
            while (warehouses.hasNext()) {
                row.write(warehouses.next());
                if (row.size() >= BUFFER) {
                    row.drainTo(out);
                }
            }
            row.drainTo(out);
            out.endCopy();
        } finally {
            if (out.isActive()) {
                // the answer failed mid-way: leave the connection usable for the rollback
                out.cancelCopy();
            }
        }
        if (!warehouses.isAscending()) {
            // ids in ascending order cannot repeat; in any other order, PostgreSQL looks for one twice
            try (Statement statement = connection.createStatement(); ResultSet twice = statement.executeQuery(duplicate)) {
                if (twice.next()) {
                    throw new UpstreamDataException("fetch_warehouses",
                            "the warehouses answer lists warehouse " + twice.getLong(1) + " more than once");
                }
            }
        }
        log.debug("{}: {} warehouses read and copied in {} ms", run, warehouses.getCount(), (System.nanoTime() - start) / 1_000_000);
    }

    /** Rows of COPY's text format, as UTF-8 bytes: tab-separated, \N for null, backslash escapes. */
    private static final class CopyRow {

        private byte[] bytes = new byte[BUFFER * 2];
        private int size;

        void write(WarehouseRecord w) {
            text(Long.toString(w.id()).getBytes(StandardCharsets.US_ASCII));
            for (String field : new String[] {w.name(), w.line1(), w.line2(), w.site(), w.city(), w.state(), w.zipCode(),
                    w.country(), w.fax(), w.phone(), w.tenantId() == null ? null : w.tenantId().toString(),
                    w.active() == null ? null : w.active().toString(), w.priority() == null ? null : w.priority().toString()}) {
                put((byte) '\t');
                text(field == null ? null : field.getBytes(StandardCharsets.UTF_8));
            }
            put((byte) '\t');
            text(w.raw());
            put((byte) '\t');
            text(Long.toString(w.digest()).getBytes(StandardCharsets.US_ASCII));
            put((byte) '\n');
        }

        int size() {
            return size;
        }

        void drainTo(PGCopyOutputStream out) throws IOException {
            out.write(bytes, 0, size);
            size = 0;
        }

        // UTF-8 never has these bytes inside a multi-byte character, so escaping bytes is safe
        private void text(byte[] text) {
            if (text == null) {
                put((byte) '\\');
                put((byte) 'N');
                return;
            }
            room(text.length * 2);
            byte[] to = bytes;
            int at = size;
            for (byte b : text) {
                switch (b) {
                    case '\\' -> { to[at++] = '\\'; to[at++] = '\\'; }
                    case '\t' -> { to[at++] = '\\'; to[at++] = 't'; }
                    case '\n' -> { to[at++] = '\\'; to[at++] = 'n'; }
                    case '\r' -> { to[at++] = '\\'; to[at++] = 'r'; }
                    default -> to[at++] = b;
                }
            }
            size = at;
        }

        /** Makes room for this many more bytes, at once rather than byte by byte. */
        private void room(int more) {
            if (size + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        private void put(byte b) {
            if (size == bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, size * 2);
            }
            bytes[size++] = b;
        }
    }
}
