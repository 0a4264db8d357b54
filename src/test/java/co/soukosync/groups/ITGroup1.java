package co.soukosync.groups;

import org.junit.platform.suite.api.SelectClasses;
import org.junit.platform.suite.api.Suite;

/** The database's faults (DeploymentSupport), and the starts without credentials and before readiness. */
@Suite
@SelectClasses(names = {"co.soukosync.DatabaseFaultsIT", "co.soukosync.ApiKeyIT", "co.soukosync.ManualTokenIT",
        "co.soukosync.StartupIT", "co.soukosync.NoCredentialsIT"})
public class ITGroup1 {
}
