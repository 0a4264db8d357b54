package co.soukosync.reload;

import co.soukosync.reload.RouteClaims.Claims;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.spring.boot.CamelSpringBootRoutesCollector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * At start, the files of ROUTES_DIR pass the checks that an edit passes ({@link RoutesReloader}):
 * a file that reuses a route id or claims an HTTP path that an earlier file, the application or
 * the service itself has is left out, and the log names it, as does a file that does not parse.
 * The service's own files (the names the jar ships) come first, then the others by name, so that
 * no file takes the API's paths by sorting before it. Without this, Camel let a file take over
 * PATCH /api/syncall at start, and did not start at all with two files on one path.
 */
class CheckedRoutesCollector extends CamelSpringBootRoutesCollector {

    private static final Logger log = LoggerFactory.getLogger(CheckedRoutesCollector.class);

    private final Map<String, Claims> reserved;
    private final Set<String> shipped;
    private final Map<Path, String> refused = new ConcurrentHashMap<>();

    CheckedRoutesCollector(ApplicationContext context, boolean includeNonSingletons, Map<String, Claims> reserved) {
        super(context, includeNonSingletons);
        this.reserved = reserved;
        this.shipped = shippedNames();
    }

    @Override
    public Collection<Resource> findRouteResourcesFromDirectory(CamelContext camel, String excludePattern,
                                                                String includePattern) {
        List<Resource> found = new ArrayList<>(super.findRouteResourcesFromDirectory(camel, excludePattern, includePattern));
        found.sort(Comparator.comparing((Resource file) -> !shipped.contains(name(file)))
                .thenComparing(CheckedRoutesCollector::name));
        Map<String, Claims> taken = new LinkedHashMap<>(reserved);
        List<Resource> accepted = new ArrayList<>();
        for (Resource file : found) {
            String name = name(file);
            Claims claims;
            try {
                claims = RouteClaims.of(camel, file);
            } catch (Exception e) {
                // Camel loads the folder's files together: one it cannot read would lose them all
                log.warn("Route file {} NOT applied, it is left out until it is edited: {}", name, RoutesReloader.cause(e));
                continue;
            }
            List<String> clashes = RouteClaims.clashes(claims, taken);
            if (!clashes.isEmpty()) {
                String why = String.join(", ", clashes);
                log.warn("Route file {} NOT applied, {}; it is left out", name, why);
                refused.put(path(file), why);
                continue;
            }
            taken.put(name, claims);
            accepted.add(file);
        }
        return accepted;
    }

    /** The paths the service serves outside Camel. */
    Map<String, Claims> reserved() {
        return reserved;
    }

    /** The files refused at start for a clash, and why: tried again once another file changes, as a refused edit is. */
    Map<Path, String> refused() {
        return Map.copyOf(refused);
    }

    private static String name(Resource file) {
        String location = file.getLocation();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static Path path(Resource file) {
        String location = file.getLocation();
        return Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location).toAbsolutePath().normalize();
    }

    private static Set<String> shippedNames() {
        try {
            return Stream.of(new PathMatchingResourcePatternResolver().getResources("classpath:routes/*.camel.yaml"))
                    .map(org.springframework.core.io.Resource::getFilename).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
