package co.soukosync.groups;

import org.junit.platform.suite.api.SelectClasses;
import org.junit.platform.suite.api.Suite;

/**
 * ShortTimeoutsSupport's classes (the upstream's and the webhook's faults, the token), the delivery
 * to Kafka, and the embedded database's starts.
 */
@Suite
@SelectClasses(names = {"co.soukosync.UpstreamFaultsIT", "co.soukosync.AlertsIT", "co.soukosync.TokenLifecycleIT",
        "co.soukosync.ChangesToKafkaIT", "co.soukosync.db.EmbeddedDatabaseIT"})
public class ITGroup2 {
}
