package co.soukosync.delivery;

import co.soukosync.config.SoukosyncProperties;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;
import org.springframework.stereotype.Component;

/**
 * The delivery's routes start only with CHANGES_ENDPOINT set (changes-delivery.camel.yaml names
 * this policy): unset, nothing is pushed, and no timer looks at the feed for it.
 */
@Component("changesDeliveryStart")
public class ChangesDeliveryStart extends RoutePolicySupport {

    private final boolean configured;

    ChangesDeliveryStart(SoukosyncProperties properties) {
        this.configured = properties.changes().configured();
    }

    @Override
    public void onInit(Route route) {
        route.setAutoStartup(configured);
    }
}
