package co.soukosync;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The packages depend on each other one way, lowest first:
 * config &lt; db &lt; upstream &lt; sync &lt; history &lt; delivery &lt; alerts &lt; api &lt; {security, ops, reload, demo}.
 * A package uses only packages below it (demo only upstream and config); none uses one above it,
 * and no two packages import each other, however many packages apart.
 */
class PackagesTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("co.soukosync");

    @Test
    void eachPackageUsesOnlyThePackagesBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("config").definedBy("co.soukosync.config..")
                .layer("db").definedBy("co.soukosync.db..")
                .layer("upstream").definedBy("co.soukosync.upstream..")
                .layer("sync").definedBy("co.soukosync.sync..")
                .layer("history").definedBy("co.soukosync.history..")
                .layer("delivery").definedBy("co.soukosync.delivery..")
                .layer("alerts").definedBy("co.soukosync.alerts..")
                .layer("api").definedBy("co.soukosync.api..")
                .layer("security").definedBy("co.soukosync.security..")
                .layer("ops").definedBy("co.soukosync.ops..")
                .layer("reload").definedBy("co.soukosync.reload..")
                .layer("demo").definedBy("co.soukosync.demo..")
                .whereLayer("config").mayNotAccessAnyLayer()
                .whereLayer("db").mayOnlyAccessLayers("config")
                .whereLayer("upstream").mayOnlyAccessLayers("config", "db")
                .whereLayer("sync").mayOnlyAccessLayers("config", "db", "upstream")
                .whereLayer("history").mayOnlyAccessLayers("config", "db", "upstream", "sync")
                .whereLayer("delivery").mayOnlyAccessLayers("config", "db", "upstream", "sync", "history")
                .whereLayer("alerts").mayOnlyAccessLayers("config", "db", "upstream", "sync", "history", "delivery")
                .whereLayer("api").mayOnlyAccessLayers("config", "db", "upstream", "sync", "history", "delivery", "alerts")
                .whereLayer("security").mayOnlyAccessLayers("config", "db", "upstream", "sync", "history", "delivery", "alerts", "api")
                .whereLayer("ops").mayOnlyAccessLayers("config", "db", "upstream", "sync", "history", "delivery", "alerts", "api")
                .whereLayer("reload").mayOnlyAccessLayers("config", "db", "upstream", "sync", "history", "delivery", "alerts", "api")
                .whereLayer("demo").mayOnlyAccessLayers("config", "upstream")
                .check(MAIN);
    }

    @Test
    void noPackagesImportEachOtherInACircle() {
        slices().matching("co.soukosync.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void everyClassIsInAPackageOfTheOrder() {
        classes().that().resideOutsideOfPackage("co.soukosync")
                .should().resideInAnyPackage("co.soukosync.config..", "co.soukosync.db..", "co.soukosync.upstream..",
                        "co.soukosync.sync..", "co.soukosync.history..", "co.soukosync.delivery..", "co.soukosync.alerts..", "co.soukosync.api..",
                        "co.soukosync.security..", "co.soukosync.ops..", "co.soukosync.reload..", "co.soukosync.demo..")
                .check(MAIN);
    }
}
