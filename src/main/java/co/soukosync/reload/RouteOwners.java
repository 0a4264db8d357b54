package co.soukosync.reload;

import co.soukosync.reload.RouteClaims.Claims;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;

/**
 * Which route file owns which route. Camel keys routes by id alone: applying a file that
 * reuses another file's route id silently replaces that route (and deleting the file then
 * leaves no route at all), and Spring serves a path from whichever route claimed it, so a
 * file's ids and HTTP paths ({@link RouteClaims}) are checked against the others' before it is applied.
 */
final class RouteOwners {

    private RouteOwners() {
    }

    /** The routes the file defines now, as Camel's model has them. */
    static List<RouteDefinition> routesOf(ModelCamelContext model, Path file) {
        return model.getRouteDefinitions().stream()
                .filter(route -> ownedBy(route.getResource(), file))
                .toList();
    }

    /**
     * Each route or route configuration id, and each HTTP path, of {@code content} that another
     * file, the application or the service outside Camel ({@code reserved}) already has.
     */
    static List<String> clashes(CamelContext camel, Path file, Resource content, Map<String, Claims> reserved)
            throws Exception {
        Map<String, Claims> others = new LinkedHashMap<>(reserved);
        others.putAll(claimsBesides(camel, file));
        return RouteClaims.clashes(RouteClaims.of(camel, content), others);
    }

    /** What each owner but the file claims in Camel's model now, by owner. */
    private static Map<String, Claims> claimsBesides(CamelContext camel, Path file) {
        ModelCamelContext model = (ModelCamelContext) camel;
        Map<String, Claims> owners = new LinkedHashMap<>();
        for (RouteDefinition route : model.getRouteDefinitions()) {
            if (ownedBy(route.getResource(), file)) {
                continue;
            }
            Claims claims = of(owners, owner(route.getResource()));
            claims.routeIds().add(route.getRouteId());
            claims.paths().addAll(RouteClaims.inputs(camel, route));
        }
        for (RouteConfigurationDefinition configuration : model.getRouteConfigurationDefinitions()) {
            if (!ownedBy(configuration.getResource(), file)) {
                of(owners, owner(configuration.getResource())).configurationIds().add(configuration.getId());
            }
        }
        return owners;
    }

    private static Claims of(Map<String, Claims> owners, String owner) {
        return owners.computeIfAbsent(owner, o -> new Claims(new LinkedHashSet<>(), new LinkedHashSet<>(), new ArrayList<>()));
    }

    private static boolean ownedBy(Resource resource, Path file) {
        if (resource == null || resource.getLocation() == null) {
            return false;
        }
        String location = resource.getLocation();
        String path = location.startsWith("file:") ? location.substring("file:".length()) : location;
        return Path.of(path).toAbsolutePath().normalize().equals(file);
    }

    private static String owner(Resource resource) {
        if (resource == null || resource.getLocation() == null) {
            return "the application";
        }
        String location = resource.getLocation();
        return location.substring(location.lastIndexOf('/') + 1);
    }
}
