package co.soukosync.groups;

import org.junit.platform.suite.api.SelectClasses;
import org.junit.platform.suite.api.Suite;

/** The database's faults (DeploymentSupport), the schedule across a restart, the starts without credentials and before readiness. */
@Suite
@SelectClasses(names = {"co.soukosync.DatabaseFaultsIT", "co.soukosync.ApiKeyIT", "co.soukosync.ManualTokenIT",
        "co.soukosync.ScheduleIT", "co.soukosync.StartupIT", "co.soukosync.NoCredentialsIT"})
public class ITGroup1 {
}
