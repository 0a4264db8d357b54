package co.soukosync;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The change log as the feed reads it (sql/changes-after.sql), to check what an endpoint received
 * against: every seq, and each change's JSON.
 */
final class ChangeFeedLog {

    private ChangeFeedLog() {}

    /** The newest committed seq. */
    static long lastSeq(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT last_seq FROM sync_feed", Long.class);
    }

    /** Every change after a seq, by seq: its JSON as the feed answers it. */
    static Map<Long, String> itemsAfter(JdbcTemplate jdbc, long after) throws Exception {
        String sql = new ClassPathResource("sql/changes-after.sql").getContentAsString(StandardCharsets.UTF_8);
        Map<Long, String> items = new LinkedHashMap<>();
        long cursor = after;
        while (true) {
            // the test's own numbers in place of the parameters (Spring's named parameters would
            // take the statement's array slices, ids[lo:hi], for parameters too)
            List<Map<String, Object>> page = jdbc.queryForList(sql.replace(":#after", Long.toString(cursor))
                    .replace(":#limit", "1000"));
            if (page.isEmpty()) {
                return items;
            }
            for (Map<String, Object> row : page) {
                cursor = ((Number) row.get("seq")).longValue();
                items.put(cursor, (String) row.get("item"));
            }
        }
    }

    static long seqOf(ConsumerRecord<String, String> record) {
        Header header = record.headers().lastHeader("soukosync_seq");
        return Long.parseLong(new String(header.value(), StandardCharsets.UTF_8));
    }

    /**
     * What a consumer that drops a seq it has seen makes of the received sequence: the received
     * seqs must be, after that, exactly first..last in order (none missing, none out of order).
     *
     * @return the duplicates, in the order they arrived
     */
    static List<Long> checkInOrderWithoutGap(List<Long> received, long first, long last) {
        java.util.Set<Long> seen = new java.util.HashSet<>();
        java.util.List<Long> duplicates = new java.util.ArrayList<>();
        long expected = first;
        for (long seq : received) {
            if (!seen.add(seq)) {
                duplicates.add(seq);
                continue;
            }
            if (seq != expected) {
                throw new AssertionError("after dropping duplicates, seq " + seq + " arrived where " + expected
                        + " was due (received " + seen.size() + " distinct so far)");
            }
            expected++;
        }
        if (expected != last + 1) {
            throw new AssertionError("received up to seq " + (expected - 1) + ", the log has up to " + last);
        }
        return duplicates;
    }
}
