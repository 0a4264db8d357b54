package co.soukosync.ops;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * Which route file owns which route. Camel keys routes by id alone: applying a file that
 * reuses another file's route id silently replaces that route (and deleting the file then
 * leaves no route at all), so a file's ids are checked against the others' before it is applied.
 */
final class RouteOwners {

    private RouteOwners() {
    }

    /** The routes the file defines now, as Camel's model has them. */
    static List<RouteDefinition> routesOf(ModelCamelContext model, Path file) {
        return model.getRouteDefinitions().stream()
                .filter(route -> ownedBy(route.getResource(), file))
                // the OpenAPI document's route (rest-api:) carries the resource of the first file
                // with a rest block, but Camel makes it once for the application
                // (camel.rest.api-context-path) and not again when that file is applied
                .filter(route -> route.getInput() == null || !route.getInput().getEndpointUri().startsWith("rest-api:"))
                .toList();
    }

    /** Each route or route configuration id of {@code content} that another file, or the application, already has. */
    static List<String> clashes(CamelContext camel, Path file, Resource content) throws Exception {
        Set<String> routeIds = new LinkedHashSet<>();
        Set<String> configurationIds = new LinkedHashSet<>();
        for (RoutesBuilder builder : PluginHelper.getRoutesLoader(camel).findRoutesBuilders(List.of(content))) {
            if (builder instanceof RouteConfigurationBuilder configurations) {
                configurations.setCamelContext(camel);
                configurations.configuration();
                configurations.getRouteConfigurationCollection().getRouteConfigurations()
                        .forEach(configuration -> configurationIds.add(configuration.getId()));
            }
            if (builder instanceof RouteBuilder routes) {
                routes.configureRoutes(camel).getRoutes().forEach(route -> routeIds.add(route.getRouteId()));
                for (RestDefinition rest : routes.configureRests(camel).getRests()) {
                    rest.getVerbs().stream().map(VerbDefinition::getRouteId).forEach(routeIds::add);
                }
            }
        }
        ModelCamelContext model = (ModelCamelContext) camel;
        List<String> clashes = new ArrayList<>();
        for (RouteDefinition route : model.getRouteDefinitions()) {
            if (routeIds.contains(route.getRouteId()) && !ownedBy(route.getResource(), file)) {
                clashes.add("route id " + route.getRouteId() + " is already used by " + owner(route.getResource()));
            }
        }
        for (RouteConfigurationDefinition configuration : model.getRouteConfigurationDefinitions()) {
            if (configurationIds.contains(configuration.getId()) && !ownedBy(configuration.getResource(), file)) {
                clashes.add("routeConfiguration id " + configuration.getId() + " is already used by "
                        + owner(configuration.getResource()));
            }
        }
        return clashes;
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
