package co.soukosync.groups;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.ExcludeClassNamePatterns;
import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * Every other *IT, by class name: IntegrationSupport's classes, the clustered schedule, the
 * graceful stop, the hot reload of route files, the start without credentials, and any new class. The
 * classes of the other groups are left out here by name (ITGroupsTest checks that these names are
 * theirs).
 */
@Suite
@SelectPackages("co.soukosync")
@IncludeClassNamePatterns(".*IT$")
@ExcludeClassNamePatterns({
        // ITGroup1
        "co\\.soukosync\\.DatabaseFaultsIT", "co\\.soukosync\\.SecurityIT", "co\\.soukosync\\.ReplicasIT",
        "co\\.soukosync\\.ManagementIT", "co\\.soukosync\\.ApiKeyIT", "co\\.soukosync\\.ManualTokenIT",
        "co\\.soukosync\\.ScheduleIT", "co\\.soukosync\\.StartupIT", "co\\.soukosync\\.ChangesToHttpIT",
        "co\\.soukosync\\.DemoUpstreamIT",
        // ITGroup2
        "co\\.soukosync\\.UpstreamFaultsIT", "co\\.soukosync\\.AlertsIT", "co\\.soukosync\\.TokenLifecycleIT",
        "co\\.soukosync\\.ChangesToKafkaIT", "co\\.soukosync\\.db\\.EmbeddedDatabaseIT"})
@ConfigurationParameter(key = "junit.jupiter.testclass.order.default", value = "org.junit.jupiter.api.ClassOrderer$ClassName")
public class ITGroup3 {
}
