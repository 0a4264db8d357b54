package co.soukosync.ops;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The management console (Hawtio at /actuator/hawtio, Jolokia at /actuator/jolokia) and the
 * Camel dev console (/actuator/camel) are exposed only when MANAGEMENT_USER and
 * MANAGEMENT_PASSWORD are set, behind HTTP basic auth with them (ManagementSecurity); unset,
 * they do not exist. Health, info and Prometheus are always there.
 */
public class ManagementExposure implements EnvironmentPostProcessor, Ordered {

    static final String ALWAYS = "health,info,prometheus";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        boolean console = configured(environment, "soukosync.management.user")
                && configured(environment, "soukosync.management.password");
        Map<String, Object> exposure = new HashMap<>();
        exposure.put("management.endpoints.web.exposure.include", console ? ALWAYS + ",hawtio,jolokia,camel" : ALWAYS);
        exposure.put("soukosync.management.console", String.valueOf(console));
        // Spring Security asks for the credentials; Hawtio's own login would ask a second time
        exposure.put("hawtio.authenticationEnabled", "false");
        environment.getPropertySources().addFirst(new MapPropertySource("soukosyncManagementExposure", exposure));
    }

    private static boolean configured(ConfigurableEnvironment environment, String key) {
        String value = environment.getProperty(key);
        return value != null && !value.isBlank();
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
