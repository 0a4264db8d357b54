package co.soukosync.groups;

import org.junit.platform.suite.api.SelectClasses;
import org.junit.platform.suite.api.Suite;

/**
 * DeploymentSupport's classes (the database's faults, security, replicas, the consoles), then the
 * schedule across a restart, the start before readiness, the delivery to an HTTP receiver and the
 * demo mode.
 */
@Suite
@SelectClasses(names = {"co.soukosync.DatabaseFaultsIT", "co.soukosync.SecurityIT", "co.soukosync.ReplicasIT",
        "co.soukosync.ManagementIT", "co.soukosync.ApiKeyIT", "co.soukosync.ManualTokenIT", "co.soukosync.ScheduleIT",
        "co.soukosync.StartupIT", "co.soukosync.ChangesToHttpIT", "co.soukosync.DemoUpstreamIT"})
public class ITGroup1 {
}
