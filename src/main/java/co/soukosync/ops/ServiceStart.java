package co.soukosync.ops;

import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * When this service started, for what asks what happened since: the route sync-at-start and the
 * health component syncFreshness. Asked of Camel's context instead (simple:
 * {@code ${camelContext.uptime.toMillis()}}), the route's expression cost 1.4 s of every start:
 * Camel introspects the whole context class to build it.
 */
@Component("serviceStart")
public class ServiceStart {

    private final Instant startedAt = Instant.now();

    /** When this service started. */
    public Instant startedAt() {
        return startedAt;
    }

    /** Milliseconds since this service started. */
    public long uptimeMillis() {
        return Duration.between(startedAt, Instant.now()).toMillis();
    }
}
