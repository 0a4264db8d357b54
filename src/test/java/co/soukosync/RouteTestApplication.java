package co.soukosync;

import co.soukosync.config.SoukosyncProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import javax.sql.DataSource;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.flywaydb.core.Flyway;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Camel without the rest of the application, for route tests: the route files that a test names
 * in camel.main.routes-include-pattern, and the beans that a test imports beside these: a real
 * PostgreSQL ({@link ExternalPostgres#shared()}, with the application's schema) and a meter
 * registry, and the configuration (SoukosyncProperties). No web server, no upstream. It starts in a
 * second or two.
 *
 * <p>Not a {@code @Configuration}: the application's component scan, in the whole-application
 * tests, would take it in; nor a {@code @TestConfiguration}: Spring Boot would then add the
 * application's own configuration to the route tests.
 */
@ImportAutoConfiguration(CamelAutoConfiguration.class)
@EnableConfigurationProperties(SoukosyncProperties.class)
public class RouteTestApplication {

    @Bean
    DataSource dataSource() {
        DataSource database = ExternalPostgres.shared().dataSource();
        Flyway.configure().dataSource(database).locations("classpath:db/migration").load().migrate();
        return database;
    }

    @Bean
    JdbcTemplate jdbcTemplate(DataSource dataSource) {
        return new JdbcTemplate(dataSource);
    }

    @Bean
    MeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }
}
