package co.soukosync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import co.soukosync.ExternalPostgres;
import co.soukosync.db.SqlFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plans PostgreSQL makes for the store's statements where its statistics mislead it most: the
 * mirror's tables just emptied and analyzed, as before a first sync. A nested loop there would
 * scan the table the merge fills once per warehouse of the answer (a first sync of 100,000 never
 * ended in the benchmark); the store's transaction forbids them (staging-create.sql).
 */
class MergePlanTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FILLED = List.of("warehouses", "users_warehouses");
    private static DataSource database;

    @BeforeAll
    static void emptyAnalyzedMirror() throws Exception {
        database = ExternalPostgres.shared().database("merge_plan");
        Flyway.configure().dataSource(database).locations("classpath:db/migration").load().migrate();
        try (Connection connection = database.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("TRUNCATE warehouses, users_warehouses");
            sql.execute("VACUUM ANALYZE warehouses");
            sql.execute("VACUUM ANALYZE users_warehouses");
        }
    }

    @Test
    void theMergeOfAFirstSyncJoinsByHashNeverByANestedLoopOverTheTablesItFills() throws Exception {
        for (boolean changeLog : new boolean[] {true, false}) {
            JsonNode plan = planOfTheStore("merge-warehouses.sql", changeLog);
            assertThat(nestedLoopsOver(plan, FILLED)).as("nested loops over %s, change log %s", FILLED, changeLog).isEmpty();
            assertThat(joins(plan)).as("the links that exist, the warehouses that exist").contains("Hash Anti", "Hash Left");
        }
    }

    @Test
    void theUnlinkAndTheReceiptJoinByHashToo() throws Exception {
        for (String statement : List.of("unlink-warehouses.sql", "verify-receipt.sql")) {
            assertThat(nestedLoopsOver(planOfTheStore(statement, true), FILLED)).as(statement).isEmpty();
        }
    }

    /** EXPLAIN of a statement inside a transaction set up as the store sets up its own, 100,000 warehouses copied in. */
    private static JsonNode planOfTheStore(String file, boolean changeLog) throws Exception {
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement sql = connection.createStatement()) {
                sql.execute(SqlFiles.read("staging-create.sql"));
                sql.execute("INSERT INTO incoming_warehouses (id, name, line1, raw, digest)"
                        + " SELECT i, 'warehouse ' || i, i || ' Street', '{}', i FROM generate_series(1, 100000) i");
                String statement = SqlFiles.read(file).replace(":#userId", "1").replace(":#runId", "1")
                        .replace(":#changeLog", Boolean.toString(changeLog));
                try (ResultSet explained = sql.executeQuery("EXPLAIN (FORMAT JSON) " + statement)) {
                    explained.next();
                    return JSON.readTree(explained.getString(1)).get(0).get("Plan");
                }
            } finally {
                connection.rollback();
            }
        }
    }

    /** The nested loops of a plan whose inner side, scanned again for each outer row, scans one of the tables. */
    private static List<String> nestedLoopsOver(JsonNode node, List<String> tables) {
        List<String> found = new ArrayList<>();
        if (node.path("Node Type").asText().equals("Nested Loop")) {
            List<String> scanned = new ArrayList<>();
            node.path("Plans").forEach(child -> {
                if (child.path("Parent Relationship").asText().equals("Inner")) {
                    relations(child, scanned);
                }
            });
            scanned.retainAll(tables);
            if (!scanned.isEmpty()) {
                found.add(node.path("Join Type").asText() + " nested loop over " + scanned);
            }
        }
        node.path("Plans").forEach(child -> found.addAll(nestedLoopsOver(child, tables)));
        return found;
    }

    /** Each join of a plan as its method and type: "Hash Anti", "Nested Loop Inner", … */
    private static List<String> joins(JsonNode node) {
        List<String> found = new ArrayList<>();
        if (node.has("Join Type")) {
            found.add(node.get("Node Type").asText().replace(" Join", "") + " " + node.get("Join Type").asText());
        }
        node.path("Plans").forEach(child -> found.addAll(joins(child)));
        return found;
    }

    private static void relations(JsonNode node, List<String> names) {
        if (node.has("Relation Name")) {
            names.add(node.get("Relation Name").asText());
        }
        node.path("Plans").forEach(child -> relations(child, names));
    }
}
