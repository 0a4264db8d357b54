package co.soukosync.demo;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Decides, once the configuration is read, whether Soukosync runs against its built-in demo
 * upstream: with soukosync.demo.enabled=auto (the default), exactly when none of DB_HOST,
 * API_TOKEN and API_USER is set, so that a first `./mvnw spring-boot:run` shows real syncs.
 * The demo then provides the base URL (its own routes on this server) and its credentials.
 */
public class ZeroConfigDefaults implements EnvironmentPostProcessor, Ordered {

    static final String DEMO_USER = "demo";
    static final String DEMO_PASSWORD = "demo-password";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String mode = environment.getProperty("soukosync.demo.enabled", "auto").strip();
        boolean demo = "auto".equalsIgnoreCase(mode)
                ? blank(environment, "soukosync.db.host") && blank(environment, "soukosync.api.token")
                        && blank(environment, "soukosync.api.user")
                : Boolean.parseBoolean(mode);
        Map<String, Object> decided = new HashMap<>();
        decided.put("soukosync.demo.enabled", String.valueOf(demo));
        if (demo) {
            decided.put("soukosync.upstream.url", "http://localhost:${local.server.port}/demo/api/v1");
            decided.put("soukosync.api.token", "");
            decided.put("soukosync.api.user", DEMO_USER);
            decided.put("soukosync.api.password", DEMO_PASSWORD);
        }
        environment.getPropertySources().addFirst(new MapPropertySource("soukosyncZeroConfig", decided));
    }

    private static boolean blank(ConfigurableEnvironment environment, String key) {
        String value = environment.getProperty(key);
        return value == null || value.isBlank();
    }

    @Override
    public int getOrder() {
        // after application.yaml and the environment have been read
        return Ordered.LOWEST_PRECEDENCE;
    }
}
