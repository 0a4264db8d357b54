package co.soukosync.upstream;

import co.soukosync.config.SoukosyncProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Honours the Retry-After of a 429 answer. As the onExceptionOccurred processor of the retry
 * clause it sets the pause of the next redelivery (the header CamelRedeliveryDelay); as that
 * clause's onWhen it says whether the pause still fits the run's budget, so that a long
 * Retry-After fails the run at once (http_429) instead of holding it for an hour.
 */
@Component("retryAfter")
public class RetryAfter implements Processor {

    static final String WAITED = "retryAfterWaitedMs";

    private final Duration budget;
    private final Clock clock;

    @Autowired
    RetryAfter(SoukosyncProperties properties) {
        this(Duration.ofSeconds(properties.sync().retryAfterBudgetSeconds()), Clock.systemUTC());
    }

    RetryAfter(Duration budget, Clock clock) {
        this.budget = budget;
        this.clock = clock;
    }

    /** True when the answer's Retry-After (none counts as zero) fits what is left of the budget. */
    public boolean fits(Exchange exchange) {
        Duration wait = requested(exchange);
        Long waited = exchange.getVariable(WAITED, Long.class);
        Duration left = budget.minusMillis(waited == null ? 0 : waited);
        return wait.compareTo(left) <= 0;
    }

    @Override
    public void process(Exchange exchange) {
        Duration wait = requested(exchange);
        if (wait.isZero()) {
            exchange.getMessage().removeHeader(Exchange.REDELIVERY_DELAY);
            return;
        }
        exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, wait.toMillis());
        Long waited = exchange.getVariable(WAITED, Long.class);
        exchange.setVariable(WAITED, (waited == null ? 0 : waited) + wait.toMillis());
    }

    /** The pause the upstream asked for: Retry-After in seconds or as an HTTP date. */
    Duration requested(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (caught == null) {
            caught = exchange.getException();
        }
        if (!(caught instanceof HttpOperationFailedException failed) || failed.getResponseHeaders() == null) {
            return Duration.ZERO;
        }
        String value = failed.getResponseHeaders().entrySet().stream()
                .filter(h -> "retry-after".equalsIgnoreCase(h.getKey()))
                .map(h -> h.getValue()).findFirst().orElse(null);
        return parse(value, clock.instant());
    }

    static Duration parse(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Duration.ZERO;
        }
        String text = value.strip();
        if (text.matches("[0-9]{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(text));
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
        } catch (DateTimeParseException e) {
            return Duration.ZERO;
        }
    }
}
