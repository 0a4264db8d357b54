package co.soukosync.sync;

import co.soukosync.history.RunAnswers;
import co.soukosync.ops.SyncMetrics;
import co.soukosync.config.Secrets;
import co.soukosync.upstream.RetryAfter;
import co.soukosync.upstream.TokenInvalidation;
import co.soukosync.upstream.TokenStore;
import co.soukosync.upstream.Upstream;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The application's beans that error-handling.camel.yaml calls (its clauses and the route
 * sync-failed), for route tests that load that file: the real ones, on an upstream with
 * credentials for a password grant (no manual API_TOKEN) that no test calls.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import({TokenStore.class, TokenInvalidation.class, RetryAfter.class, Secrets.class, SyncErrors.class,
        RunAnswers.class, SyncMetrics.class})
class ErrorHandlingBeans {

    @Bean
    Upstream upstream() {
        return new Upstream(() -> "http://upstream.invalid/api/v1", "", "user", "secret-password", false);
    }
}
