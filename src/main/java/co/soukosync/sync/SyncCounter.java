package co.soukosync.sync;

import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/** Adds the counts that the store statements return to the run's {@link RunCounts}. */
@Component("syncCounter")
public class SyncCounter {

    public RunCounts start() {
        return new RunCounts();
    }

    public void users(@Variable("counts") RunCounts counts, @Variable("userId") long userId,
                      @Body Map<String, Object> row) {
        counts.addUsers(userId, number(row, "total"), number(row, "inserted"), number(row, "updated"));
    }

    public void warehouses(@Variable("counts") RunCounts counts, @Body Map<String, Object> row) {
        counts.addWarehouses(number(row, "total"), number(row, "inserted"), number(row, "updated"),
                number(row, "links_added"));
    }

    /** The unlink statement returns one column, which the sql component hands over bare. */
    public void removedLinks(@Variable("counts") RunCounts counts, @Body Number removed) {
        counts.addRemovedLinks(removed.longValue());
    }

    private static long number(Map<String, Object> row, String column) {
        Object value = row.get(column);
        if (!(value instanceof Number n)) {
            throw new IllegalStateException("the store statement returned no " + column);
        }
        return n.longValue();
    }
}
