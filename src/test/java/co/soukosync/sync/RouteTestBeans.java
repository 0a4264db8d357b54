package co.soukosync.sync;

import co.soukosync.alerts.Alerts;
import co.soukosync.api.ApiRequests;
import co.soukosync.api.ChangesFeed;
import co.soukosync.history.ChangesHead;
import co.soukosync.ops.ServiceStart;
import co.soukosync.upstream.UpstreamRecords;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The application's beans that the route files of the route tests call (co.soukosync.RouteTestSupport):
 * the real ones, beside those of error-handling.camel.yaml ({@link ErrorHandlingBeans}), with the
 * transactions of sync-store and Spring's ObjectMapper. Nothing of the web, security or consoles.
 */
@TestConfiguration(proxyBeanMethods = false)
@ImportAutoConfiguration({JacksonAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
        TransactionAutoConfiguration.class})
@Import({ErrorHandlingBeans.class, SyncGate.class, RunLock.class, SyncStore.class, UnlinkBrake.class, Receipt.class,
        UpstreamRecords.class, Alerts.class, ApiRequests.class, ServiceStart.class,
        ChangesFeed.class, ChangesHead.class})
public class RouteTestBeans {
}
