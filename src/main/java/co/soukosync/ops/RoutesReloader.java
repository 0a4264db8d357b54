package co.soukosync.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Applies edits to the route files in ROUTES_DIR while the service runs, one file at a time and
 * all or nothing. Camel's own reload is not used: in 4.17 a file that parses but does not start
 * loses the routes it replaced, a deleted file keeps its routes, and one broken file blocks the
 * reload of every other. Here a file whose routes do not load or start is reported by name and
 * the routes it had before are put back; the other files go on being applied; a deleted file's
 * routes are removed.
 */
@Component
@ConditionalOnExpression("!'${soukosync.routes.dir:}'.isBlank()")
class RoutesReloader implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RoutesReloader.class);

    private record Stamp(long modified, long size) {}

    private final CamelContext camel;
    private final Path folder;
    private final long pollMillis;
    private final String problem;
    private final Map<Path, Stamp> seen = new HashMap<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "routes-reloader");
        thread.setDaemon(true);
        return thread;
    });

    RoutesReloader(CamelContext camel, @Value("${soukosync.routes.dir}") String dir,
                   @Value("${soukosync.routes.poll-ms:1000}") long pollMillis,
                   @Value("${soukosync.routes.problem:}") String problem) {
        this.camel = camel;
        this.problem = problem;
        this.folder = Path.of(dir).toAbsolutePath().normalize();
        this.pollMillis = pollMillis;
    }

    @EventListener(ApplicationReadyEvent.class)
    void watch() {
        if (!problem.isBlank()) {
            log.error("ROUTES_DIR is not used, the routes shipped in the jar serve instead: {}", problem);
            return;
        }
        seen.putAll(snapshot());
        log.info("Watching {} for route changes", folder);
        poller.scheduleWithFixedDelay(this::scan, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    }

    synchronized void scan() {
        try {
            Map<Path, Stamp> now = snapshot();
            for (Map.Entry<Path, Stamp> file : now.entrySet()) {
                if (!file.getValue().equals(seen.get(file.getKey()))) {
                    apply(file.getKey());
                }
            }
            for (Path gone : new HashSet<>(seen.keySet())) {
                if (!now.containsKey(gone)) {
                    remove(gone);
                }
            }
            seen.clear();
            seen.putAll(now);
        } catch (RuntimeException e) {
            log.warn("Route folder {} could not be scanned: {}", folder, e.toString());
        }
    }

    private void apply(Path file) {
        ModelCamelContext model = (ModelCamelContext) camel;
        List<RouteDefinition> before = new ArrayList<>(routesOf(file));
        try {
            Resource resource = ResourceHelper.resolveResource(camel, "file:" + file);
            Set<String> ids = PluginHelper.getRoutesLoader(camel).updateRoutes(Set.of(resource));
            log.info("Route file {} applied: {}", file.getFileName(), ids);
        } catch (Exception e) {
            log.warn("Route file {} NOT applied, the routes it had keep serving: {}", file.getFileName(), cause(e));
            restore(model, before);
        }
    }

    private void restore(ModelCamelContext model, List<RouteDefinition> before) {
        for (RouteDefinition old : before) {
            if (camel.getRoute(old.getRouteId()) != null) {
                continue;
            }
            try {
                RouteDefinition failed = model.getRouteDefinition(old.getRouteId());
                if (failed != null) {
                    model.removeRouteDefinition(failed);
                }
                model.addRouteDefinition(old);
                log.info("Route {} restored as it was", old.getRouteId());
            } catch (Exception e) {
                log.error("Route {} could not be restored: {}", old.getRouteId(), cause(e));
            }
        }
    }

    private void remove(Path file) {
        for (RouteDefinition route : routesOf(file)) {
            try {
                camel.getRouteController().stopRoute(route.getRouteId());
                camel.removeRoute(route.getRouteId());
                log.info("Route {} removed with its file {}", route.getRouteId(), file.getFileName());
            } catch (Exception e) {
                log.warn("Route {} of the deleted file {} could not be removed: {}", route.getRouteId(),
                        file.getFileName(), cause(e));
            }
        }
    }

    private List<RouteDefinition> routesOf(Path file) {
        return ((ModelCamelContext) camel).getRouteDefinitions().stream()
                .filter(route -> route.getResource() != null && sameFile(route.getResource().getLocation(), file))
                .toList();
    }

    private static boolean sameFile(String location, Path file) {
        String path = location.startsWith("file:") ? location.substring("file:".length()) : location;
        return Path.of(path).toAbsolutePath().normalize().equals(file);
    }

    private Map<Path, Stamp> snapshot() {
        Map<Path, Stamp> files = new HashMap<>();
        try (Stream<Path> list = Files.list(folder)) {
            for (Path file : list.filter(p -> p.getFileName().toString().endsWith(".camel.yaml")).toList()) {
                files.put(file.toAbsolutePath().normalize(),
                        new Stamp(Files.getLastModifiedTime(file).toMillis(), Files.size(file)));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + folder, e);
        }
        return files;
    }

    private static String cause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String first = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
        return root == e ? first : first + " (" + root.getMessage() + ")";
    }

    @Override
    public void destroy() {
        poller.shutdownNow();
    }
}
