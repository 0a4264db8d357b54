package co.soukosync.groups;

import org.junit.platform.suite.api.SelectClasses;
import org.junit.platform.suite.api.Suite;

/** The upstream's and the webhook's faults (ShortTimeoutsSupport), and the hot reload of route files. */
@Suite
@SelectClasses(names = {"co.soukosync.HotReloadIT", "co.soukosync.UpstreamFaultsIT", "co.soukosync.AlertsIT",
        "co.soukosync.TokenLifecycleIT"})
public class ITGroup3 {
}
