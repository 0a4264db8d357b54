package co.soukosync.reload;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Route;
import org.apache.camel.StatefulService;
import org.apache.camel.component.platform.http.HttpEndpointModel;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.PlatformHttpListener;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumerAware;
import org.apache.camel.component.platform.http.springboot.CamelRequestHandlerMapping;
import org.springframework.stereotype.Component;

/**
 * Takes the path of a stopped route out of Spring MVC, so that it answers 404 like any path
 * nothing serves. camel-platform-http-starter 4.17 maps a path when a route's consumer starts
 * ({@code CamelRequestHandlerMapping.registerHttpEndpoint}) but leaves the mapping in place when
 * it stops ({@code unregisterHttpEndpoint} is empty): requests then reach the stopped consumer,
 * and a removed route answered 500 for as long as the service ran.
 */
@Component
class StoppedRouteMappings implements PlatformHttpListener {

    private final CamelContext camel;
    private final CamelRequestHandlerMapping mappings;

    StoppedRouteMappings(CamelContext camel, CamelRequestHandlerMapping mappings) {
        this.camel = camel;
        this.mappings = mappings;
        camel.getComponent("platform-http", PlatformHttpComponent.class).addPlatformHttpListener(this);
    }

    @Override
    public void registerHttpEndpoint(HttpEndpointModel model) {
        // CamelRequestHandlerMapping maps it
    }

    /**
     * Called while a consumer stops. The component keeps one model per path, so the model named
     * here may be another route's on the same path: every mapping whose consumer no running
     * route owns any more is dropped instead, and only those.
     */
    @Override
    public void unregisterHttpEndpoint(HttpEndpointModel model) {
        Set<Object> serving = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Route route : camel.getRoutes()) {
            Consumer consumer = route.getConsumer();
            // starting, started or suspended (a suspended route answers 503 and is resumed in place)
            if (consumer instanceof PlatformHttpConsumerAware aware && consumer instanceof StatefulService service
                    && service.isRunAllowed()) {
                serving.add(aware.getPlatformHttpConsumer());
            }
        }
        mappings.getHandlerMethods().forEach((info, handler) -> {
            if (handler.getBean() instanceof PlatformHttpConsumer consumer && !serving.contains(consumer)) {
                mappings.unregisterMapping(info);
            }
        });
    }
}
