package co.soukosync.reload;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import co.soukosync.config.SoukosyncProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.HostedService;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Applies edits to the route files in ROUTES_DIR while the service runs, one file at a time and
 * all or nothing. Camel's own reload is not used: in 4.17 a file that parses but does not start
 * loses the routes it replaced, a deleted file keeps its routes, and one broken file blocks the
 * reload of every other. Here:
 * <ul>
 * <li>a file is compared by content, so a save, {@code touch} or {@code mv} of the same text
 *     changes nothing, and a change is applied once the content has stayed the same for the
 *     settle time, so a half-written file is not;</li>
 * <li>a file that reuses a route id of another file, or claims an HTTP path that another file,
 *     the application or the service serves ({@link RouteClaims}), is refused (at start too:
 *     {@link CheckedRoutesCollector}); one whose routes do not load or start is reported by name
 *     and the routes it had before are put back;</li>
 * <li>routes that serve HTTP are swapped between requests ({@link RouteSwapGate});</li>
 * <li>a deleted file's routes are removed, and so are routes a file no longer has.</li>
 * </ul>
 */
@Component
@ConditionalOnExpression("!'${soukosync.routes.dir:}'.isBlank()")
class RoutesReloader implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RoutesReloader.class);

    /** The "content" of a file that is not there. */
    private static final String ABSENT = "";
    /** The content of a file refused for an id clash, to try again once another file changed. */
    private static final String RETRY = "retry";

    private record Change(String content, long seenAt) {}

    private final CamelContext camel;
    private final ModelCamelContext model;
    private final RouteSwapGate gate;
    private final RouteFolder folder;
    private final Path path;
    private final long pollMillis;
    private final long settleNanos;
    private final String problem;
    // the content (a digest) each file was last applied, removed or refused with
    private final Map<Path, String> handled = new HashMap<>();
    // a content not yet handled, and when it was first seen
    private final Map<Path, Change> settling = new HashMap<>();
    // refused for a clash, tried again once another file changed; and why, said once per content
    private final Map<Path, String> clashing = new HashMap<>();
    private final CheckedRoutesCollector atStart;
    // the paths the service serves outside Camel
    private final Map<String, RouteClaims.Claims> reserved;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "routes-reloader");
        thread.setDaemon(true);
        return thread;
    });

    RoutesReloader(CamelContext camel, RouteSwapGate gate, RoutesDirectory.Folder routesFolder,
                   CheckedRoutesCollector atStart, SoukosyncProperties properties) {
        this.camel = camel;
        this.atStart = atStart;
        this.reserved = atStart.reserved();
        this.model = (ModelCamelContext) camel;
        this.gate = gate;
        this.problem = routesFolder.problem() == null ? "" : routesFolder.problem();
        this.path = routesFolder.path();
        this.folder = new RouteFolder(path);
        this.pollMillis = properties.routes().pollMs();
        this.settleNanos = TimeUnit.MILLISECONDS.toNanos(properties.routes().settleMs());
        if (problem.isBlank()) {
            // read before Camel loads the folder: a file written while the service starts then
            // differs from this, and is applied at the first polls instead of being taken as loaded
            folder.read().ifPresent(now -> now.readable().forEach((file, content) -> handled.put(file, digest(content))));
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    void watch() {
        if (!problem.isBlank()) {
            log.warn("ROUTES_DIR is not used, the routes shipped in the jar serve instead: {}", problem);
            return;
        }
        synchronized (this) {
            // refused at start for a clash: tried again once another file changes, as a refused edit is
            clashing.putAll(atStart.refused());
        }
        log.info("Watching {} for route changes", path);
        poller.scheduleWithFixedDelay(this::scan, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    }

    synchronized void scan() {
        // nothing is applied to a Camel that is still starting (tests start it after the
        // application is ready) or already stopping: what changed is seen at a later poll
        if (!camel.isStarted()) {
            return;
        }
        try {
            folder.read().ifPresent(this::handle);
        } catch (RuntimeException e) {
            log.warn("Route folder {} could not be scanned: {}", path, e.toString());
        }
    }

    private void handle(RouteFolder.Snapshot now) {
        Set<Path> files = new TreeSet<>(handled.keySet());
        files.addAll(now.readable().keySet());
        // what cannot be read is left as it is (RouteFolder said why)
        files.removeAll(now.unreadable());
        settling.keySet().removeAll(now.unreadable());
        long clock = System.nanoTime();
        boolean changed = false;
        for (Path file : files) {
            byte[] content = now.readable().get(file);
            String digest = content == null ? ABSENT : digest(content);
            if (digest.equals(handled.getOrDefault(file, ABSENT))) {
                settling.remove(file);
                continue;
            }
            Change change = settling.get(file);
            if (change == null || !change.content().equals(digest)) {
                settling.put(file, new Change(digest, clock));
                continue;
            }
            if (clock - change.seenAt() < settleNanos) {
                continue;
            }
            settling.remove(file);
            boolean retry = RETRY.equals(handled.put(file, digest));
            String refusal = clashing.remove(file);
            changed |= content == null ? remove(file) : apply(file, content, retry ? refusal : null);
        }
        if (changed) {
            // the ids or paths a refused file wanted may be free now
            clashing.keySet().forEach(file -> handled.put(file, RETRY));
        }
    }

    /** @param refused why the same content was refused before (a retry says it again only when that changed) */
    private boolean apply(Path file, byte[] content, String refused) {
        String name = file.getFileName().toString();
        // the very bytes that were compared and settled, not the file as it may be by now
        Resource resource = ResourceHelper.fromBytes("file:" + file, content);
        try {
            List<String> clashes = RouteOwners.clashes(camel, file, resource, reserved);
            if (!clashes.isEmpty()) {
                String why = String.join(", ", clashes);
                if (!why.equals(refused)) {
                    log.warn("Route file {} NOT applied, {}; the routes it had keep serving", name, why);
                }
                clashing.put(file, why);
                return false;
            }
        } catch (Exception e) {
            log.warn("Route file {} NOT applied, the routes it had keep serving: {}", name, cause(e));
            return false;
        }
        return swap(file, () -> replace(file, resource));
    }

    private boolean replace(Path file, Resource resource) {
        String name = file.getFileName().toString();
        List<RouteDefinition> before = routesOf(file);
        try {
            Set<String> ids = PluginHelper.getRoutesLoader(camel).updateRoutes(Set.of(resource));
            // updateRoutes only replaces the routes the file still has
            for (RouteDefinition old : before) {
                if (!ids.contains(old.getRouteId())) {
                    removeRoute(old, name + " no longer has it");
                }
            }
            log.info("Route file {} applied: {}", name, ids);
            return true;
        } catch (Exception e) {
            log.warn("Route file {} NOT applied, the routes it had keep serving: {}", name, cause(e));
            restore(file, before);
            return false;
        }
    }

    private boolean remove(Path file) {
        return swap(file, () -> {
            routesOf(file).forEach(route -> removeRoute(route, file.getFileName() + " was deleted"));
            return true;
        });
    }

    private void removeRoute(RouteDefinition route, String why) {
        try {
            model.removeRouteDefinition(route);
            log.info("Route {} removed: {}", route.getRouteId(), why);
        } catch (Exception e) {
            log.warn("Route {} could not be removed ({}): {}", route.getRouteId(), why, cause(e));
        }
    }

    /** Puts back the routes a failed update replaced, after dropping what it left half-added. */
    private void restore(Path file, List<RouteDefinition> before) {
        for (RouteDefinition left : routesOf(file)) {
            if (left.getRouteId() == null || camel.getRoute(left.getRouteId()) == null) {
                try {
                    model.removeRouteDefinition(left);
                } catch (Exception e) {
                    log.error("Route {} of the failed update could not be dropped: {}", left.getRouteId(), cause(e));
                }
            }
        }
        for (RouteDefinition old : before) {
            if (camel.getRoute(old.getRouteId()) != null) {
                continue;
            }
            try {
                model.addRouteDefinition(old);
                log.info("Route {} restored as it was", old.getRouteId());
            } catch (Exception e) {
                log.error("Route {} could not be restored: {}", old.getRouteId(), cause(e));
            }
        }
    }

    /** Runs a change of the file's routes through the gate when some of them serve HTTP. */
    private boolean swap(Path file, Supplier<Boolean> change) {
        boolean servesHttp = routesOf(file).stream()
                .map(route -> camel.getRoute(route.getRouteId()))
                .anyMatch(route -> route != null && route.getConsumer() instanceof HostedService hosted
                        && hosted.isHostedService());
        return servesHttp ? gate.around(change) : change.get();
    }

    private List<RouteDefinition> routesOf(Path file) {
        return RouteOwners.routesOf(model, file);
    }

    private static String digest(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    static String cause(Throwable e) {
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
