package co.soukosync;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The application as an operator deploys it: DB_HOST set, on a PostgreSQL that the tests can stop
 * and start ({@link #DATABASE}) and with a password; SOUKOSYNC_API_KEY set (the calls of
 * {@link #api()} carry it, {@link #raw} calls do not); the consoles behind MANAGEMENT_USER and
 * MANAGEMENT_PASSWORD, with JMX on as in production (Camel's test support turns it off unless
 * told); API_TOKEN beside the credentials, which it wins over. Waits on an absent database are
 * short (a 1 s connection timeout, a failed run's row tried again after 200 ms), for the tests
 * that stop it. The classes that extend this share one Spring context.
 */
@DisableJmx(false)
@TestPropertySource(properties = {
        "soukosync.api-key=" + DeploymentSupport.KEY,
        "soukosync.management.user=ops",
        "soukosync.management.password=" + DeploymentSupport.CONSOLE_PASSWORD,
        "soukosync.api.token=" + Upstream.TOKEN,
        "spring.datasource.hikari.connection-timeout=250",
        // no idle connections kept on stand-by: while the database is away no background creator
        // backs off towards Hikari's 5 s (the one that requests made while it was away started is
        // woken by DatabaseFaultsIT once it is back)
        "spring.datasource.hikari.minimum-idle=0",
        "soukosync.history.retry-delay-ms=200",
        "soukosync.history.retry-max-delay-ms=1000",
})
public abstract class DeploymentSupport extends IntegrationSupport {

    static final String KEY = "k3y-for-the-api-0123456789";
    static final String CONSOLE_PASSWORD = "console-Pass-4242";
    static final String DB_PASSWORD = "db-Secret-5150";
    /** The console user's header, for what only it may see (the health's details). */
    static final String CONSOLE_AUTHORIZATION = "Authorization: Basic "
            + Base64.getEncoder().encodeToString(("ops:" + CONSOLE_PASSWORD).getBytes(StandardCharsets.UTF_8));
    static final ExternalPostgres DATABASE = new ExternalPostgres();

    @DynamicPropertySource
    static void deployedDatabase(DynamicPropertyRegistry registry) {
        DATABASE.register(registry);
        // the test server trusts every connection; the service is configured with a password all the same
        registry.add("spring.datasource.password", () -> DB_PASSWORD);
    }

    @Override
    protected String apiKey() {
        return KEY;
    }
}
