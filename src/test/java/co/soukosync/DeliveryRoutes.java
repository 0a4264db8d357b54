package co.soukosync;

import java.util.List;
import org.apache.camel.CamelContext;

/**
 * The changes delivery's two routes, paused and resumed by the tests that deliver: its reads of
 * the change log and a test's TRUNCATE of the tables (IntegrationSupport) would deadlock, and the
 * routes run from the context's start on.
 */
final class DeliveryRoutes {

    private static final List<String> ROUTES = List.of("changes-delivery", "changes-delivery-check");

    private DeliveryRoutes() {
    }

    static void pause(CamelContext camel) {
        try {
            for (String route : ROUTES) {
                camel.getRouteController().stopRoute(route);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void resume(CamelContext camel) {
        try {
            for (String route : ROUTES) {
                if (!camel.getRouteController().getRouteStatus(route).isStarted()) {
                    camel.getRouteController().startRoute(route);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
