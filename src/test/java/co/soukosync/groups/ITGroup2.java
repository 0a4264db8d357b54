package co.soukosync.groups;

import org.junit.platform.suite.api.SelectClasses;
import org.junit.platform.suite.api.Suite;

/** Replicas and the clustered schedule, and the rest of DeploymentSupport's classes; the demo upstream. */
@Suite
@SelectClasses(names = {"co.soukosync.ClusteredScheduleIT", "co.soukosync.ReplicasIT", "co.soukosync.SecurityIT",
        "co.soukosync.ManagementIT", "co.soukosync.DemoUpstreamIT"})
public class ITGroup2 {
}
