package co.soukosync.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.jdbc.DataSourceHealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The "db" component of /actuator/health: Spring Boot's own check of the datasource (its bean
 * name replaces Boot's), with a failure told in the service's words. Boot's would answer the
 * exception's class and text ("org.springframework.jdbc.CannotGetJdbcConnectionException: …").
 */
@Component("dbHealthIndicator")
class DatabaseHealth implements HealthIndicator {

    private final DataSourceHealthIndicator check;

    DatabaseHealth(DataSource dataSource) {
        this.check = new DataSourceHealthIndicator(dataSource);
    }

    @Override
    public Health health() {
        Health health = check.health();
        if (!health.getDetails().containsKey("error")) {
            return health;
        }
        Map<String, Object> details = new LinkedHashMap<>(health.getDetails());
        details.put("error", "the database does not answer");
        return Health.status(health.getStatus()).withDetails(details).build();
    }
}
