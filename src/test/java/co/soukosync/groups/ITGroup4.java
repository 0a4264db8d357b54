package co.soukosync.groups;

import org.junit.platform.suite.api.ExcludeClassNamePatterns;
import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * Every other *IT: IntegrationSupport's classes, the embedded database, the graceful stop, and any
 * new class. The classes of the other groups are left out here by name
 * (ITGroupsTest checks that these names are theirs).
 */
@Suite
@SelectPackages("co.soukosync")
@IncludeClassNamePatterns(".*IT$")
@ExcludeClassNamePatterns({
        // ITGroup1
        "co\\.soukosync\\.DatabaseFaultsIT", "co\\.soukosync\\.ApiKeyIT", "co\\.soukosync\\.ManualTokenIT",
        "co\\.soukosync\\.ScheduleIT", "co\\.soukosync\\.StartupIT", "co\\.soukosync\\.NoCredentialsIT",
        // ITGroup2
        "co\\.soukosync\\.ClusteredScheduleIT", "co\\.soukosync\\.ReplicasIT", "co\\.soukosync\\.SecurityIT",
        "co\\.soukosync\\.ManagementIT", "co\\.soukosync\\.DemoUpstreamIT",
        // ITGroup3
        "co\\.soukosync\\.HotReloadIT", "co\\.soukosync\\.UpstreamFaultsIT", "co\\.soukosync\\.AlertsIT",
        "co\\.soukosync\\.TokenLifecycleIT"})
public class ITGroup4 {
}
