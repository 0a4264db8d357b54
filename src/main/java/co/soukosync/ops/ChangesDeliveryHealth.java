package co.soukosync.ops;

import co.soukosync.config.SoukosyncProperties;
import co.soukosync.delivery.ChangesDelivery;
import co.soukosync.delivery.ChangesDelivery.Stall;
import co.soukosync.delivery.ChangesDelivery.State;
import java.time.Instant;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * The health component "changesDelivery": DOWN while the delivery to CHANGES_ENDPOINT is stalled
 * (stopped on a change the endpoint refused, or its position still for CHANGES_STALL_SECONDS
 * while changes wait), with the seq and why in its details. It is not in the readiness group: a
 * downstream system that refuses a message must not take this service out of its load balancer.
 * UP, with the position and the lag, otherwise; UP with "configured": false without CHANGES_ENDPOINT.
 */
// the component is named as the bean less "HealthIndicator": changesDelivery (that name is the delivery bean's)
@Component("changesDeliveryHealthIndicator")
class ChangesDeliveryHealth implements HealthIndicator {

    private final ChangesDelivery delivery;
    private final boolean configured;

    ChangesDeliveryHealth(ChangesDelivery delivery, SoukosyncProperties properties) {
        this.delivery = delivery;
        this.configured = properties.changes().configured();
    }

    @Override
    public Health health() {
        if (!configured) {
            return Health.up().withDetail("configured", false).build();
        }
        State state;
        try {
            state = delivery.state();
        } catch (DataAccessException e) {
            return Health.down().withDetail("reason", "database unreachable").build();
        }
        Health.Builder health = Health.up().withDetail("position", state.position()).withDetail("lag", state.lag())
                .withDetail("stallSeconds", delivery.stallSeconds());
        Stall stall = delivery.stall(state, Instant.now());
        if (stall != null) {
            return health.down().withDetail("reason", stall.reason()).withDetail("seq", stall.seq())
                    .withDetail("message", stall.message()).build();
        }
        return health.build();
    }
}
