package co.soukosync;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * Closes the Spring contexts that test classes left in Spring's context cache at the end of the
 * test run, newest first, while what they use still runs. Left to the JVM's shutdown hooks, they
 * closed at the same time as the hooks that stop the embedded PostgreSQL servers: Camel then
 * waited for timers stuck on a database that had gone, and surefire killed the fork 30 s after
 * System.exit ("Surefire is going to kill self fork JVM. The exit has elapsed 30 seconds").
 */
public final class ContextsClosedAtTheEnd implements AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ContextsClosedAtTheEnd.class);

    @Override
    public void afterAll(ExtensionContext context) {
        ApplicationContext application;
        try {
            application = SpringExtension.getApplicationContext(context);
        } catch (IllegalStateException failedToLoad) {
            return;
        }
        if (application instanceof ConfigurableApplicationContext open && open.isActive()) {
            // the root store closes its resources when the whole run ends, before the JVM exits
            context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Open.class, key -> new Open(), Open.class).add(open);
        }
    }

    private static final class Open implements ExtensionContext.Store.CloseableResource {

        private final Set<ConfigurableApplicationContext> contexts = new LinkedHashSet<>();

        synchronized void add(ConfigurableApplicationContext context) {
            contexts.add(context);
        }

        @Override
        public synchronized void close() {
            List<ConfigurableApplicationContext> newestFirst = new ArrayList<>(contexts);
            java.util.Collections.reverse(newestFirst);
            // a context that @DirtiesContext closed is no longer active, and close() leaves it be
            newestFirst.forEach(ConfigurableApplicationContext::close);
        }
    }
}
