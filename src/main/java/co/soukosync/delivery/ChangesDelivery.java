package co.soukosync.delivery;

import co.soukosync.config.Secrets;
import co.soukosync.config.SoukosyncProperties;
import co.soukosync.db.SqlFiles;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Variable;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.support.DefaultMessage;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The delivery of the change feed to CHANGES_ENDPOINT (changes-delivery.camel.yaml): where it
 * stands (changes_delivery, V11), the messages a page of the feed makes, what an accepted batch or
 * a refused change does to the position, and when delivery is stalled. Its metrics:
 * soukosync_changes_delivered_total, soukosync_changes_delivery_failures_total,
 * soukosync_changes_lag_changes (the newest committed seq less the position) and
 * soukosync_changes_lag_seconds (how long ago the run of the oldest change not yet delivered ended).
 */
@Component("changesDelivery")
public class ChangesDelivery {

    private static final Logger log = LoggerFactory.getLogger("co.soukosync.delivery");

    /** Headers of every message, for consumers to filter on without reading the body. */
    public static final String SEQ = "soukosync_seq";
    public static final String ENTITY = "soukosync_entity";
    public static final String CHANGE = "soukosync_change";
    public static final String RUN_ID = "soukosync_run_id";

    private final JdbcTemplate jdbc;
    private final ChangesLease lease;
    private final Secrets secrets;
    private final SoukosyncProperties.Changes settings;
    private final Clock clock = Clock.systemUTC();
    private final String stateSql = SqlFiles.read("changes-delivery-state.sql");
    private final String rejectedSql = SqlFiles.read("changes-delivery-rejected.sql");
    private final String incidentSql = SqlFiles.read("changes-delivery-incident.sql");
    private final String recoveredSql = SqlFiles.read("changes-delivery-recovered.sql");
    private final String acceptedSql = SqlFiles.read("changes-delivery-accepted.sql");
    private final Counter delivered;
    private final Counter failures;
    private final AtomicLong lagChanges = new AtomicLong();
    private final AtomicLong lagSeconds = new AtomicLong();
    /**
     * Kafka: whether a record got through since the start or the last failure. Until one has, a
     * page goes as its first change alone: the producer may wait for the topic's metadata on the
     * first record and fail it while the next ones of the page, sent once it has arrived, are
     * written: a later change before an earlier one. One record first, and the rest of the page
     * after its acknowledgement, keeps them in order.
     */
    private volatile boolean warm;

    ChangesDelivery(JdbcTemplate jdbc, ChangesLease lease, Secrets secrets, SoukosyncProperties properties,
                    MeterRegistry registry) {
        this.jdbc = jdbc;
        this.lease = lease;
        this.secrets = secrets;
        this.settings = properties.changes();
        this.delivered = Counter.builder("soukosync.changes.delivered")
                .description("Changes the endpoint of CHANGES_ENDPOINT accepted (sent again after a failure: counted again)")
                .register(registry);
        this.failures = Counter.builder("soukosync.changes.delivery.failures")
                .description("Failed attempts to deliver changes (each retry counts)").register(registry);
        Gauge.builder("soukosync.changes.lag.changes", lagChanges, AtomicLong::doubleValue)
                .description("Committed changes not yet delivered: the newest seq less the delivered position")
                .register(registry);
        Gauge.builder("soukosync.changes.lag", lagSeconds, AtomicLong::doubleValue)
                .description("How long ago the run of the oldest change not yet delivered ended; 0 when none waits")
                .baseUnit("seconds").register(registry);
    }

    /** Where delivery stands, and the feed's ends. */
    public record State(long position, Instant movedAt, long delivered, Long rejectedSeq, String rejectedReason,
                        Instant rejectedAt, String incident, long lastSeq, long purgedThrough, Instant oldestWaitingAt) {

        /** Committed changes after the position. */
        public long lag() {
            return Math.max(0, lastSeq - position);
        }
    }

    public State state() {
        return jdbc.queryForObject(stateSql, (row, n) -> new State(row.getLong("position"), instant(row.getTimestamp("moved_at")),
                row.getLong("delivered"), (Long) row.getObject("rejected_seq"), row.getString("rejected_reason"),
                instant(row.getTimestamp("rejected_at")), row.getString("incident"), row.getLong("last_seq"),
                row.getLong("purged_through"), instant(row.getTimestamp("oldest_waiting_at"))));
    }

    /** True for a kafka: endpoint: a page goes as one exchange, a record per change. */
    public boolean kafka() {
        return settings.kafka();
    }

    /** The endpoint's URI (a secret: it goes on the exchange only, never in a route's definition). */
    public String uri() {
        return settings.uri();
    }

    /**
     * The parameters of the next page of the feed (sql/changes-after.sql), or null when there is
     * none to send now: this replica does not hold the lease, or delivery is stopped on a change
     * the endpoint refused, which is tried again (alone) every retry-max-delay-ms.
     */
    public Map<String, Object> page() {
        if (!lease.hold()) {
            return null;
        }
        State state = state();
        int limit = settings.batchSize();
        if (state.rejectedSeq() != null) {
            if (state.rejectedAt() != null
                    && Duration.between(state.rejectedAt(), clock.instant()).toMillis() < settings.retryMaxDelayMs()) {
                return null;
            }
            limit = 1;
        }
        if (state.position() < state.purgedThrough()) {
            // retention deleted changes that were never delivered; the feed answers nothing for a
            // position before them (the check reports it as stalled, reason purged)
            return null;
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("after", state.position());
        page.put("limit", limit);
        return page;
    }

    /**
     * The page's changes as messages (to Kafka, the body of one exchange: a record per message);
     * its first change alone while the producer has had no acknowledgement since its start or its
     * last failure (see {@link #warm}). The variable pageLast: the seq of the last of them.
     */
    public List<Message> messages(@Variable("batch") List<Map<String, Object>> batch, Exchange exchange) {
        List<Map<String, Object>> rows = warm ? batch : batch.subList(0, 1);
        exchange.setVariable("pageLast", rows.get(rows.size() - 1).get("seq"));
        List<Message> messages = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            Message message = new DefaultMessage(exchange.getContext());
            message.setBody(row.get("item"));
            headers(row).forEach(message::setHeader);
            message.setHeader(KafkaConstants.KEY, key(row));
            messages.add(message);
        }
        return messages;
    }

    /**
     * Makes the exchange the message of change {@code index} of the page (body: its JSON; headers:
     * those of {@link #headers}), and notes it in the variable sending; null when the change was
     * accepted already (a try again after a failure goes on from the change that failed).
     */
    public Object one(@Variable("batch") List<Map<String, Object>> batch, @Variable("accepted") Long accepted,
                      Exchange exchange) {
        Map<String, Object> row = batch.get(exchange.getProperty(Exchange.LOOP_INDEX, Integer.class));
        long seq = ((Number) row.get("seq")).longValue();
        if (accepted != null && seq <= accepted) {
            return null;
        }
        exchange.setVariable("sending", seq);
        headers(row).forEach(exchange.getMessage()::setHeader);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        return row.get("item");
    }

    /** The messages got through (Kafka: the broker acknowledged them all): the seq of the last. */
    public long acknowledged(@Variable("pageLast") Number pageLast) {
        warm = true;
        return pageLast.longValue();
    }

    /** Whether to read the next page at once: this one came full, or only a part of it was sent. */
    public boolean more(@Variable("batch") List<Map<String, Object>> batch, @Variable("accepted") Long accepted) {
        long last = ((Number) batch.get(batch.size() - 1).get("seq")).longValue();
        return batch.size() >= settings.batchSize() || (accepted != null && accepted < last);
    }

    /**
     * Stores the position of the changes accepted (variable accepted) and counts them; the
     * delivery_recovered event when an announced incident ended with it, else null.
     */
    public DeliveryEvent accepted(@Variable("accepted") Long accepted, @Variable("position") Long from) {
        if (accepted == null || from == null || accepted <= from) {
            return null;
        }
        Map<String, Object> row = jdbc.queryForMap(acceptedSql, accepted, accepted - from);
        delivered.increment(accepted - from);
        if (Boolean.TRUE.equals(row.get("recovered"))) {
            log.info("Delivery of the changes resumed: delivered up to seq {}", accepted);
            return new DeliveryEvent(DeliveryEvent.RECOVERED, accepted, null, "delivered up to seq " + accepted);
        }
        return null;
    }

    /** True when the endpoint refused the change for good: HTTP 4xx but 408 and 429, a record Kafka never takes. */
    public boolean refusedForGood(Exchange exchange) {
        for (Throwable t = failure(exchange); t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                int status = http.getStatusCode();
                return status >= 400 && status < 500 && status != 408 && status != 429;
            }
            if (t instanceof RecordTooLargeException || t instanceof SerializationException
                    || t instanceof InvalidTopicException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The endpoint refused a change for good: what it accepted before it is stored, delivery stops
     * on it (the position stays before it) and it is tried again, alone, every retry-max-delay-ms
     * until it is accepted or an operator skips it; the delivery_stalled event, once per incident.
     */
    public DeliveryEvent rejected(@Variable("accepted") Long accepted, @Variable("position") Long from,
                                  @Variable("sending") Long sending, Exchange exchange) {
        DeliveryEvent recovered = accepted(accepted, from);
        long seq = sending != null ? sending : (accepted != null ? accepted : from == null ? 0 : from) + 1;
        String why = why(failure(exchange));
        jdbc.update(rejectedSql, seq, why);
        log.warn("Delivery of the changes stopped: the endpoint refused change seq {}: {}", seq, why);
        DeliveryEvent stalled = open("rejected", seq, "the endpoint refused change seq " + seq + ": " + why);
        return stalled != null ? stalled : recovered;
    }

    /** Counts a failed attempt (onExceptionOccurred of the delivery's clauses). */
    public void failed(Exchange exchange) {
        failures.increment();
        warm = false;
        log.warn("Delivery of the changes failed (tried again with a growing pause): {}", why(failure(exchange)));
    }

    /**
     * Measures the lag (the metrics) and looks for a stalled delivery: stopped on a refused change,
     * changes lost to retention before they were delivered, or a position that has not moved for
     * CHANGES_STALL_SECONDS while changes wait. The delivery_stalled event when this call opened
     * the incident (once, whichever replica sees it first), else null.
     */
    public DeliveryEvent check() {
        State state = state();
        Instant now = clock.instant();
        lagChanges.set(state.lag());
        lagSeconds.set(state.oldestWaitingAt() == null || state.lag() == 0 ? 0
                : Math.max(0, Duration.between(state.oldestWaitingAt(), now).toSeconds()));
        Stall stall = stall(state, now);
        if (stall != null) {
            return open(stall.reason(), stall.seq(), stall.message());
        }
        if (state.incident() != null) {
            List<Long> ended = jdbc.queryForList(recoveredSql, Long.class);
            if (!ended.isEmpty()) {
                log.info("Delivery of the changes is no longer stalled: at seq {}", ended.get(0));
                return new DeliveryEvent(DeliveryEvent.RECOVERED, ended.get(0), null, "delivered up to seq " + ended.get(0));
            }
        }
        return null;
    }

    /** Why delivery is stalled now, or null when it is not. */
    public record Stall(String reason, long seq, String message) {}

    public Stall stall(State state, Instant now) {
        if (state.rejectedSeq() != null) {
            return new Stall("rejected", state.rejectedSeq(), "the endpoint refused change seq " + state.rejectedSeq() + ": "
                    + state.rejectedReason());
        }
        if (state.position() < state.purgedThrough()) {
            return new Stall("purged", state.position() + 1, "retention deleted changes up to seq " + state.purgedThrough()
                    + " before they were delivered (position " + state.position() + ")");
        }
        if (state.lag() == 0) {
            return null;
        }
        Instant since = later(state.movedAt(), state.oldestWaitingAt());
        long waited = since == null ? 0 : Duration.between(since, now).toSeconds();
        if (waited > settings.stallSeconds()) {
            return new Stall("stalled", state.position() + 1, "no change delivered for " + waited + " s while "
                    + state.lag() + " wait (CHANGES_STALL_SECONDS=" + settings.stallSeconds() + ")");
        }
        return null;
    }

    public long stallSeconds() {
        return settings.stallSeconds();
    }

    private DeliveryEvent open(String reason, long seq, String message) {
        List<String> opened = jdbc.queryForList(incidentSql, String.class, reason);
        if (opened.isEmpty()) {
            return null;
        }
        log.warn("Delivery of the changes is stalled at seq {}: {}", seq, message);
        return new DeliveryEvent(DeliveryEvent.STALLED, seq, reason, message);
    }

    /** The failure being handled: on the exchange, or, once a clause caught it, in its property. */
    private static Throwable failure(Exchange exchange) {
        return exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }

    /** A failure in one line, without a secret of the endpoint's URI. */
    private String why(Throwable failure) {
        if (failure == null) {
            return "refused";
        }
        if (failure instanceof HttpOperationFailedException http) {
            return "HTTP " + http.getStatusCode();
        }
        String text = failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        return secrets.redact(text.length() > 300 ? text.substring(0, 300) : text);
    }

    private static Map<String, Object> headers(Map<String, Object> row) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(SEQ, String.valueOf(row.get("seq")));
        headers.put(ENTITY, String.valueOf(row.get("entity")));
        headers.put(CHANGE, String.valueOf(row.get("change")));
        headers.put(RUN_ID, String.valueOf(row.get("run_id")));
        return headers;
    }

    /**
     * The message's key, which Kafka partitions by: the row it changed, so that one partition
     * keeps a row's changes in order, and a compacted topic keeps each row's last change.
     * A link is a row of its own (links:&lt;user&gt;:&lt;warehouse&gt;): its adds and removes stay in
     * order and compaction keeps whether the link is there; keyed by the warehouse, compaction
     * would let a later update of the warehouse erase that.
     */
    static String key(Map<String, Object> row) {
        return "links".equals(row.get("entity"))
                ? "links:" + row.get("user_id") + ":" + row.get("id")
                : row.get("entity") + ":" + row.get("id");
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
