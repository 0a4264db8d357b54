package co.soukosync.ops;

import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * When this service started, for the routes that ask what happened since (sync-at-start). Asked
 * of Camel's context instead (simple: {@code ${camelContext.uptime.toMillis()}}), the expression
 * cost 1.4 s of every start: Camel introspects the whole context class to build it.
 */
@Component("serviceStart")
public class ServiceStart {

    private final Instant startedAt = Instant.now();

    /** Milliseconds since this service started. */
    public long uptimeMillis() {
        return Duration.between(startedAt, Instant.now()).toMillis();
    }
}
