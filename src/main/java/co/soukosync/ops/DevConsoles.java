package co.soukosync.ops;

import java.util.Set;
import co.soukosync.config.SoukosyncProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.console.DevConsole;
import org.apache.camel.console.DevConsoleRegistry;
import org.apache.camel.console.DevConsoleResolver;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

/**
 * The Camel dev console (/actuator/camel) has only the consoles listed in
 * soukosync.management.dev-consoles, each resolved by its id: Camel's own loading scans every
 * jar of the classpath for consoles, which in the packaged jar (with the embedded PostgreSQL's
 * binaries) took two pauses of about 7 s at every start. Others show what must stay private: "bean" lists every
 * bean's properties (the data source's password among them), "properties" and
 * "system-properties" the configuration, "variables", "message-history", "trace" and "browse"
 * message bodies (a token answer among them); "send" and "receive" act instead of observing.
 */
@Component
class DevConsoles implements CamelContextConfiguration {

    private final Set<String> allowed;

    DevConsoles(SoukosyncProperties properties) {
        this.allowed = Set.copyOf(properties.management().devConsoles());
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
        DevConsoleResolver resolver = PluginHelper.getDevConsoleResolver(camelContext);
        for (String id : allowed) {
            DevConsole console = resolver.resolveDevConsole(id);
            if (console != null) {
                registry.register(console);
            }
        }
        // camel.main.dev-console-enabled is false so that Camel does not scan for consoles;
        // the actuator endpoint serves them once this says they are there
        camelContext.setDevConsole(true);
    }
}
