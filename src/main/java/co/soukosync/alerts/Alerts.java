package co.soukosync.alerts;

import co.soukosync.alerts.AlertPolicy.Decision;
import co.soukosync.alerts.AlertPolicy.State;
import co.soukosync.history.RunAnswer;
import co.soukosync.history.RunAnswer.ErrorData;
import co.soukosync.config.SoukosyncProperties;
import co.soukosync.db.SqlFiles;
import co.soukosync.delivery.DeliveryEvent;
import co.soukosync.history.Dates;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The alerts of ALERT_WEBHOOK_URL (routes in alerts.camel.yaml): after each real run and on a
 * stale mirror, decides in one transaction on the shared alert state (so that replicas do not
 * announce an incident twice) whether an {@link Alert} is due; and addresses each POST. The
 * webhook's URL and headers are secrets, so they live here and go on each message only: the
 * route's endpoint is a placeholder, and neither the URL nor a header is part of an endpoint,
 * a route definition, a metric or anything else the consoles show.
 */
@Component("alerts")
public class Alerts {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final Duration staleAfter;
    private final String webhookUrl;
    private final Map<String, String> headers;
    private final Clock clock = Clock.systemUTC();
    private final Instant startedAt = Instant.now();
    private final String select = SqlFiles.read("alert-state.sql");
    private final String save = SqlFiles.read("alert-state-save.sql");

    Alerts(JdbcTemplate jdbc, TransactionTemplate transaction, SoukosyncProperties properties) {
        this.jdbc = jdbc;
        this.webhookUrl = properties.alerts().webhookUrl().strip();
        this.transaction = transaction;
        this.staleAfter = properties.staleAfter();
        this.headers = properties.alerts().headers();
    }

    /** The alert a finished run calls for, or null. Dry runs write nothing and call for none. */
    public Alert afterRun(@Body RunAnswer run) {
        if (run == null || run.runId() == null || run.isDryRun()) {
            return null;
        }
        ErrorData error = run.data() instanceof ErrorData e ? e : null;
        return transaction.execute(status -> {
            Map<String, Object> row = jdbc.queryForMap(select);
            Decision decision = AlertPolicy.afterRun(state(row), run.ok(), error == null ? null : error.reason());
            saveIfChanged(state(row), decision.next());
            if (decision.event() == null) {
                return null;
            }
            int failures = Alert.RECOVERED.equals(decision.event()) ? state(row).consecutiveFailures()
                    : decision.next().consecutiveFailures();
            return new Alert(decision.event(), run.runId(), run.date(), error == null ? null : error.reason(),
                    error == null ? null : error.stage(), error == null ? null : error.message(), failures, "soukosync");
        });
    }

    /** The alert of a mirror with no successful run for SYNC_STALE_AFTER_SECONDS, once, or null. */
    public Alert staleCheck() {
        return transaction.execute(status -> {
            Map<String, Object> row = jdbc.queryForMap(select);
            Instant lastSuccess = row.get("last_success") instanceof Timestamp t ? t.toInstant() : null;
            Instant since = lastSuccess != null ? lastSuccess : startedAt;
            if (Duration.between(since, clock.instant()).compareTo(staleAfter) <= 0) {
                return null;
            }
            Decision decision = AlertPolicy.stale(state(row));
            if (decision.event() == null) {
                return null;
            }
            saveIfChanged(state(row), decision.next());
            String message = lastSuccess == null
                    ? "no successful sync since the service started, " + Duration.between(startedAt, clock.instant()).toSeconds() + " s ago"
                    : "the last successful sync ended " + Duration.between(lastSuccess, clock.instant()).toSeconds() + " s ago";
            return new Alert(Alert.STALE, null, Dates.iso(clock.instant()), "stale", null, message,
                    state(row).consecutiveFailures(), "soukosync");
        });
    }

    /**
     * The alert of an incident of the delivery of the changes (delivery_stalled with the seq and
     * why, delivery_recovered): decided once per incident by the delivery's own state (V11).
     */
    public Alert delivery(@Body DeliveryEvent event) {
        return new Alert(event.event(), null, Dates.iso(clock.instant()), event.reason(), null, event.message(), 0,
                "soukosync", event.seq());
    }

    /** True when ALERT_WEBHOOK_URL is set: alerts are decided and sent. */
    public boolean configured() {
        return !webhookUrl.isEmpty();
    }

    /** Addresses the webhook request: ALERT_WEBHOOK_URL (Exchange.HTTP_URI) and ALERT_WEBHOOK_HEADERS. */
    public void address(Exchange exchange) {
        exchange.getMessage().setHeader(Exchange.HTTP_URI, webhookUrl);
        headers.forEach(exchange.getMessage()::setHeader);
    }

    private void saveIfChanged(State before, State after) {
        if (!after.equals(before)) {
            jdbc.update(save, after.incident(), after.reason(), after.consecutiveFailures());
        }
    }

    private static State state(Map<String, Object> row) {
        return new State((String) row.get("incident"), (String) row.get("reason"),
                ((Number) row.get("consecutive_failures")).intValue());
    }
}
