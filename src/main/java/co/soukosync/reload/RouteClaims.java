package co.soukosync.reload;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * What a route file claims: its route and route configuration ids, and the HTTP paths its routes
 * serve (platform-http consumers, REST verbs, the paths of an OpenAPI contract that the REST DSL
 * serves, the OpenAPI document). No two owners may claim the
 * same id, nor the same method on the same path: Camel keys routes by id alone, and Spring serves
 * a path from whichever mapping it finds, so a file that reused either silently took over what
 * another served (platform-http:/api/syncall replaced the API's own syncall).
 */
final class RouteClaims {

    /** The paths and methods of one route's HTTP consumer: no methods is every method; a prefix also claims what is below it. */
    record HttpPath(Set<String> methods, List<String> segments, boolean prefix) {

        static HttpPath of(Set<String> methods, String path, boolean prefix) {
            List<String> segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
            if (!segments.isEmpty() && segments.get(segments.size() - 1).equals("*")) {
                return new HttpPath(methods, segments.subList(0, segments.size() - 1), true);
            }
            return new HttpPath(methods, segments, prefix);
        }

        /** True when one request could reach both. */
        boolean overlaps(HttpPath other) {
            if (!methods.isEmpty() && !other.methods.isEmpty() && methods.stream().noneMatch(other.methods::contains)) {
                return false;
            }
            int common = Math.min(segments.size(), other.segments.size());
            for (int i = 0; i < common; i++) {
                String mine = segments.get(i);
                String theirs = other.segments.get(i);
                if (!mine.equals(theirs) && !variable(mine) && !variable(theirs)) {
                    return false;
                }
            }
            return segments.size() == other.segments.size()
                    || (prefix && segments.size() < other.segments.size())
                    || (other.prefix && other.segments.size() < segments.size());
        }

        private static boolean variable(String segment) {
            return segment.startsWith("{") && segment.endsWith("}");
        }

        @Override
        public String toString() {
            String path = "/" + String.join("/", segments) + (prefix ? (segments.isEmpty() ? "**" : "/**") : "");
            return methods.isEmpty() ? path : String.join(",", new TreeSet<>(methods)) + " " + path;
        }
    }

    /** Everything one owner (a route file, the application) claims. */
    record Claims(Set<String> routeIds, Set<String> configurationIds, List<HttpPath> paths) {

        static Claims paths(HttpPath... paths) {
            return new Claims(Set.of(), Set.of(), List.of(paths));
        }
    }

    private RouteClaims() {
    }

    /** What the file would claim, read as Camel would load it; routes whose precondition is false claim nothing. */
    static Claims of(CamelContext camel, Resource file) throws Exception {
        Set<String> routeIds = new LinkedHashSet<>();
        Set<String> configurationIds = new LinkedHashSet<>();
        List<HttpPath> paths = new ArrayList<>();
        for (RoutesBuilder builder : PluginHelper.getRoutesLoader(camel).findRoutesBuilders(List.of(file))) {
            if (builder instanceof RouteConfigurationBuilder configurations) {
                configurations.setCamelContext(camel);
                configurations.configuration();
                configurations.getRouteConfigurationCollection().getRouteConfigurations()
                        .forEach(configuration -> configurationIds.add(configuration.getId()));
            }
            if (builder instanceof RouteBuilder routes) {
                for (RouteDefinition route : routes.configureRoutes(camel).getRoutes()) {
                    if (included(camel, route)) {
                        routeIds.add(route.getRouteId());
                        paths.addAll(inputs(camel, route));
                    }
                }
                for (RestDefinition rest : routes.configureRests(camel).getRests()) {
                    for (VerbDefinition verb : rest.getVerbs()) {
                        routeIds.add(verb.getRouteId());
                        paths.add(verb(camel, rest, verb));
                    }
                    if (rest.getOpenApi() != null) {
                        routeIds.add(rest.getOpenApi().getRouteId());
                        paths.addAll(openApi(camel, resolve(camel, rest.getOpenApi().getSpecification())));
                    }
                }
            }
        }
        routeIds.remove(null);
        return new Claims(routeIds, configurationIds, paths);
    }

    /** The HTTP paths a route's input serves: those of its OpenAPI contract (rest-openapi), or its one path, if any. */
    static List<HttpPath> inputs(CamelContext camel, RouteDefinition route) {
        if (route.getInput() != null && route.getInput().getEndpointUri() != null) {
            String uri = resolve(camel, route.getInput().getEndpointUri());
            if (uri.startsWith("rest-openapi:")) {
                return openApi(camel, uri.substring("rest-openapi:".length()).replaceFirst("^//", ""));
            }
        }
        return input(camel, route).stream().toList();
    }

    /**
     * The paths of an OpenAPI contract, each with its methods, as Spring serves them: each path as
     * the contract writes it (sync-api.camel.yaml passes matchOnUriPrefix=false on), below the
     * server "/".
     */
    static List<HttpPath> openApi(CamelContext camel, String specification) {
        String location = specification.contains("?") ? specification.substring(0, specification.indexOf('?')) : specification;
        List<HttpPath> paths = new ArrayList<>();
        try (InputStream document = ResourceHelper.resolveMandatoryResourceAsInputStream(camel, location)) {
            new YAMLMapper().readTree(document).path("paths").fields().forEachRemaining(path -> {
                Set<String> methods = new TreeSet<>();
                path.getValue().fieldNames().forEachRemaining(name -> {
                    if (HTTP_METHODS.contains(name)) {
                        methods.add(name.toUpperCase(Locale.ROOT));
                    }
                });
                paths.add(HttpPath.of(methods, path.getKey(), false));
            });
        } catch (IOException e) {
            throw new UncheckedIOException("the OpenAPI contract " + location + " cannot be read", e);
        }
        return paths;
    }

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    /** The HTTP path a route's input serves, if it serves one. */
    static Optional<HttpPath> input(CamelContext camel, RouteDefinition route) {
        if (route.getInput() == null || route.getInput().getEndpointUri() == null) {
            return Optional.empty();
        }
        String uri = resolve(camel, route.getInput().getEndpointUri());
        int colon = uri.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String scheme = uri.substring(0, colon);
        // Camel's normalised form of an endpoint has "//" after the scheme, and its path encoded
        String rest = uri.substring(colon + 1).replaceFirst("^/+(?=[^/])", "");
        String query = rest.contains("?") ? rest.substring(rest.indexOf('?') + 1) : "";
        String base = URLDecoder.decode(rest.contains("?") ? rest.substring(0, rest.indexOf('?')) : rest, StandardCharsets.UTF_8);
        switch (scheme) {
            case "platform-http" -> {
                Map<String, String> parameters = parameters(query);
                return Optional.of(HttpPath.of(methods(parameters.getOrDefault("httpMethodRestrict", "")), base,
                        Boolean.parseBoolean(parameters.get("matchOnUriPrefix"))));
            }
            case "rest-api" -> {
                return Optional.of(HttpPath.of(Set.of("GET"), base, false));
            }
            case "rest" -> {
                // rest:<verb>:<path>[:<uri template>], as Camel makes the route of a REST verb
                String[] parts = base.split(":", 3);
                return parts.length < 2 ? Optional.empty()
                        : Optional.of(HttpPath.of(methods(parts[0]), parts[1] + "/" + (parts.length == 3 ? parts[2] : ""), false));
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private static HttpPath verb(CamelContext camel, RestDefinition rest, VerbDefinition verb) {
        String path = (rest.getPath() == null ? "" : resolve(camel, rest.getPath())) + "/"
                + (verb.getPath() == null ? "" : resolve(camel, verb.getPath()));
        return HttpPath.of(methods(verb.asVerb()), path, false);
    }

    /** Each id or path of {@code wanted} that another owner claims, said as the log says it. */
    static List<String> clashes(Claims wanted, Map<String, Claims> others) {
        List<String> clashes = new ArrayList<>();
        others.forEach((owner, theirs) -> {
            wanted.routeIds().stream().filter(theirs.routeIds()::contains)
                    .forEach(id -> clashes.add("route id " + id + " is already used by " + owner));
            wanted.configurationIds().stream().filter(theirs.configurationIds()::contains)
                    .forEach(id -> clashes.add("routeConfiguration id " + id + " is already used by " + owner));
            for (HttpPath path : wanted.paths()) {
                theirs.paths().stream().filter(path::overlaps).findFirst().ifPresent(served ->
                        clashes.add("path " + path + " is already served by " + owner + " (" + served + ")"));
            }
        });
        return clashes;
    }

    /** The paths that the service serves outside Camel: its management endpoints and Spring's error page. */
    static Map<String, Claims> reserved(String managementPath, String errorPath) {
        Map<String, Claims> reserved = new LinkedHashMap<>();
        reserved.put("the management endpoints", Claims.paths(HttpPath.of(Set.of(), managementPath, true)));
        reserved.put("the error page", Claims.paths(HttpPath.of(Set.of(), errorPath, false)));
        return reserved;
    }

    /** Whether Camel would create the route: its precondition (demo-upstream's, alert-send's) holds, or it has none. */
    private static boolean included(CamelContext camel, RouteDefinition route) {
        String precondition = route.getPrecondition();
        if (precondition == null || precondition.isBlank()) {
            return true;
        }
        try {
            return camel.resolveLanguage("simple").createPredicate(resolve(camel, precondition))
                    .matches(new DefaultExchange(camel));
        } catch (RuntimeException e) {
            // what cannot be told is taken as there: a path claimed in doubt is checked, not lost
            return true;
        }
    }

    private static String resolve(CamelContext camel, String text) {
        try {
            return camel.resolvePropertyPlaceholders(text);
        } catch (RuntimeException e) {
            return text;
        }
    }

    private static Map<String, String> parameters(String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                parameters.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    private static Set<String> methods(String list) {
        Set<String> methods = new TreeSet<>();
        for (String method : list.split(",")) {
            if (!method.isBlank()) {
                methods.add(method.strip().toUpperCase(Locale.ROOT));
            }
        }
        return methods;
    }
}
