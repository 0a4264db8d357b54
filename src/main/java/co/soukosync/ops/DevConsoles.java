package co.soukosync.ops;

import java.util.List;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.console.DevConsole;
import org.apache.camel.console.DevConsoleRegistry;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The Camel dev console (/actuator/camel) keeps only the consoles listed in
 * soukosync.management.dev-consoles. Others show what must stay private: "bean" lists every
 * bean's properties (the data source's password among them), "properties" and
 * "system-properties" the configuration, "variables", "message-history", "trace" and "browse"
 * message bodies (a token answer among them); "send" and "receive" act instead of observing.
 */
@Component
class DevConsoles implements CamelContextConfiguration {

    private final Set<String> allowed;

    DevConsoles(@Value("${soukosync.management.dev-consoles}") List<String> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        // nothing to do before the consoles are loaded
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        DevConsoleRegistry registry = camelContext.getCamelContextExtension().getContextPlugin(DevConsoleRegistry.class);
        if (registry == null) {
            return;
        }
        registry.loadDevConsoles();
        for (DevConsole console : registry.stream().toList()) {
            if (!allowed.contains(console.getId())) {
                registry.unregister(console);
            }
        }
    }
}
