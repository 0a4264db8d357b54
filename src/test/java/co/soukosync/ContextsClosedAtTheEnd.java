package co.soukosync;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * Closes the Spring contexts that test classes left in Spring's context cache when the test run
 * of this JVM ends, newest first, while what they use still runs. Left to the JVM's shutdown
 * hooks, they closed at the same time as the hooks that stop the embedded PostgreSQL servers:
 * Camel then waited for timers stuck on a database that had gone, and surefire killed the fork
 * 30 s after System.exit ("Surefire is going to kill self fork JVM. The exit has elapsed 30
 * seconds after System.exit(0)").
 *
 * <p>A test class registers it with {@code @ExtendWith} (the base classes do): after the class,
 * its context is noted. The JUnit launcher session of the JVM closes them (registered in
 * META-INF/services): surefire opens one session per test JVM, around every class it runs there,
 * whether it runs them in one execution or one execution each.
 */
public final class ContextsClosedAtTheEnd implements AfterAllCallback, LauncherSessionListener {

    private static final Set<ConfigurableApplicationContext> OPEN = Collections.synchronizedSet(new LinkedHashSet<>());

    @Override
    public void afterAll(ExtensionContext context) {
        ApplicationContext application;
        try {
            application = SpringExtension.getApplicationContext(context);
        } catch (IllegalStateException failedToLoad) {
            return;
        }
        if (application instanceof ConfigurableApplicationContext open && open.isActive()) {
            OPEN.add(open);
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        List<ConfigurableApplicationContext> newestFirst;
        synchronized (OPEN) {
            newestFirst = new ArrayList<>(OPEN);
            OPEN.clear();
        }
        Collections.reverse(newestFirst);
        // a context that @DirtiesContext closed is no longer active, and close() leaves it be
        newestFirst.forEach(ConfigurableApplicationContext::close);
    }
}
