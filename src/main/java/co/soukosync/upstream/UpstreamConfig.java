package co.soukosync.upstream;

import co.soukosync.config.SoukosyncProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The upstream this service syncs: the one configured (API_BASE_URL, API_TOKEN or
 * API_USER/API_PASSWORD), or, on a zero-config start, the built-in demo upstream that this
 * service serves itself (demo-upstream.camel.yaml): with SOUKOSYNC_DEMO=auto (the default)
 * exactly when none of DB_HOST, API_TOKEN and API_USER is set, so that a first
 * `./mvnw spring-boot:run` shows real syncs; SOUKOSYNC_DEMO=true or false decides outright.
 */
public class UpstreamConfig {

    public static final String DEMO_USER = "demo";
    public static final String DEMO_PASSWORD = "demo-password";

    @Configuration(proxyBeanMethods = false)
    @Conditional(DemoMode.class)
    static class Demo {
        @Bean("upstream")
        Upstream upstream(Environment environment) {
            // the port is known once the web server runs, before any route calls the upstream
            return new Upstream(() -> "http://localhost:" + environment.getProperty("local.server.port") + "/demo/api/v1",
                    "", DEMO_USER, DEMO_PASSWORD, true);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(ConfiguredMode.class)
    static class Configured {
        @Bean("upstream")
        Upstream upstream(SoukosyncProperties properties) {
            SoukosyncProperties.Api api = properties.api();
            return new Upstream(api::baseUrl, api.token(), api.user(), api.password(), false);
        }
    }

    /** SOUKOSYNC_DEMO=true, or auto with none of DB_HOST, API_TOKEN, API_USER set. */
    public static class DemoMode implements org.springframework.context.annotation.Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return demo(context.getEnvironment());
        }

        // a condition is asked before any bean exists: it binds the configuration itself
        public static boolean demo(Environment environment) {
            return Binder.get(environment).bind("soukosync", SoukosyncProperties.class)
                    .map(SoukosyncProperties::demoMode).orElse(false);
        }
    }

    public static class ConfiguredMode implements org.springframework.context.annotation.Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !DemoMode.demo(context.getEnvironment());
        }
    }
}
