package co.soukosync.db;

import static java.nio.file.attribute.PosixFilePermission.OWNER_READ;
import static java.nio.file.attribute.PosixFilePermission.OWNER_WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import co.soukosync.IntegrationSupport;
import co.soukosync.config.SoukosyncProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The embedded PostgreSQL that the service starts without DB_HOST: its password, the upgrade of
 * data folders made by versions that trusted every local connection, its durability, and a start
 * over the server that a killed service left running. Real PostgreSQL servers throughout; the
 * configuration runs as in the service (DataSourceAutoConfiguration, the application's default
 * datasource URL), without the rest of the application.
 */
@ExtendWith(OutputCaptureExtension.class)
class EmbeddedDatabaseIT {

    private static final String PASSWORD_FILE = "soukosync-db-password";
    /** The speed settings that IntegrationSupport uses. */
    private static final String FAST = "soukosync.db.embedded-durable=false";

    /** Processes a test started; stopped after it whatever happened. */
    private final List<ProcessHandle> leftovers = new ArrayList<>();

    static ApplicationContextRunner service(Path dataDir, String... properties) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                // application.yaml and the configuration bound from it, as in the service
                .withInitializer(new ConfigDataApplicationContextInitializer())
                .withUserConfiguration(Configuration.class, EmbeddedDatabaseConfig.class)
                .withPropertyValues("soukosync.db.embedded-dir=" + dataDir,
                        "soukosync.db.embedded-binaries-dir=" + IntegrationSupport.BINARIES,
                        "spring.datasource.url=jdbc:postgresql://localhost:5432/soukosync")
                .withPropertyValues(properties);
    }

    @EnableConfigurationProperties(SoukosyncProperties.class)
    static class Configuration {
    }

    @AfterEach
    void stopLeftovers() {
        leftovers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
    }

    @Test
    void noConnectionIsAcceptedWithoutTheGeneratedPassword(CapturedOutput output) throws Exception {
        Path dir = newDataDir();
        service(dir, FAST).run(context -> {
            assertServes(context);
            int port = context.getBean(EmbeddedPostgres.class).getPort();
            assertRefused(port);

            Path file = dir.resolve(PASSWORD_FILE);
            assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(OWNER_READ, OWNER_WRITE);
            String password = Files.readString(file).strip();
            assertThat(password).hasSizeGreaterThanOrEqualTo(40);
            assertThat(connect("127.0.0.1", port, password)).isTrue();
            assertEveryRuleNeedsThePassword(context);
            assertThat(output.getAll()).contains("initdb").doesNotContain(password);
        });
    }

    /**
     * zonky unpacks PostgreSQL into /tmp/embedded-pg, a folder it makes writable by everyone (no
     * sticky bit): another local account could put its own postgres there for the service to run.
     * The programs the server runs must be replaceable by this user alone: neither their folder nor
     * any folder above it writable by anyone else (a folder with the sticky bit, like /tmp, lets
     * nobody rename what is not theirs). A restart, in a new JVM, unpacks nothing again.
     */
    @Test
    void theServerRunsProgramsThatOnlyThisUserCanReplaceAndARestartUnpacksNothing() throws Exception {
        Path dir = startedFolder();
        List<Path> programs = new ArrayList<>();
        service(dir, FAST).run(context -> {
            assertServes(context);
            programs.add(Path.of("/proc", Long.toString(postmasterPid(dir)), "exe").toRealPath());
        });
        Path postgres = programs.get(0);
        assertThat(postgres.getFileName()).hasToString("postgres");
        Path mine = Files.createTempFile(Path.of("target"), "owner-", ".tmp");
        int me = (Integer) Files.getAttribute(mine, "unix:uid");
        Files.delete(mine);
        for (Path folder = postgres.getParent(); folder != null; folder = folder.getParent()) {
            int mode = (Integer) Files.getAttribute(folder, "unix:mode");
            int owner = (Integer) Files.getAttribute(folder, "unix:uid");
            assertThat(owner).as("owner of %s", folder).isIn(me, 0);
            boolean sticky = (mode & 01000) != 0;
            assertThat(sticky || (mode & 022) == 0)
                    .as("%s (mode %o) is writable by group or others", folder, mode & 07777).isTrue();
        }
        Object unpacked = Files.getAttribute(postgres, "unix:ctime");

        Path restarted = startedFolder();
        Path log = Path.of("target", restarted.getFileName() + "-restart.log");
        Process service = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                EmbeddedDatabaseProcess.class.getName(), restarted.toString(), "stop")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        leftovers.add(service.toHandle());
        assertThat(service.waitFor(120, TimeUnit.SECONDS)).as("the second service stopped").isTrue();
        assertThat(Files.readString(log)).as("the second service's log").contains("READY")
                .doesNotContain("Extracting Postgres");
        assertThat(Files.getAttribute(postgres, "unix:ctime")).as("the program, untouched").isEqualTo(unpacked);
    }

    @Test
    void aProgramsFolderThatOthersCanWriteStopsTheStartAndSaysWhy() throws Exception {
        Path shared = Files.createTempDirectory(Path.of("target"), "pg-binaries-shared-");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        service(newDataDir(), FAST, "soukosync.db.embedded-binaries-dir=" + shared).run(context ->
                assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining(shared.toRealPath().toString())
                        .hasMessageContaining("mode 777")
                        .hasMessageContaining("DB_BINARIES_DIR"));
        try (var inside = Files.list(shared)) {
            assertThat(inside).as("nothing unpacked into it").isEmpty();
        }
    }

    @Test
    void aDataFolderThatTrustedLocalConnectionsIsUpgradedInPlace(CapturedOutput output) throws Exception {
        // as zonky's initdb left it: every local connection trusted, no password
        Path dir = DataFolders.trusting("pg-embedded-");
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setPort(ServerPorts.free()).setDataDirectory(dir).setCleanDataDirectory(false)
                .start()) {
            JdbcTemplate jdbc = new JdbcTemplate(old.getPostgresDatabase());
            jdbc.execute("CREATE TABLE kept (note text)");
            jdbc.update("INSERT INTO kept VALUES ('written by the old version')");
        }

        service(dir, FAST).run(context -> {
            assertThat(jdbc(context).queryForObject("SELECT note FROM kept", String.class))
                    .isEqualTo("written by the old version");
            assertRefused(context.getBean(EmbeddedPostgres.class).getPort());
            assertEveryRuleNeedsThePassword(context);
            Path file = dir.resolve(PASSWORD_FILE);
            assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(OWNER_READ, OWNER_WRITE);
            assertThat(output.getAll()).contains("setting the password kept in " + file)
                    .doesNotContain(Files.readString(file).strip());
        });
        // and the upgraded folder starts as any other
        service(dir, FAST).run(EmbeddedDatabaseIT::assertServes);
    }

    @Test
    void theServiceRunsDurablyAndTheTestsMayNot() throws Exception {
        String settings = "SELECT name, setting FROM pg_settings "
                + "WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes') ORDER BY name";
        service(startedFolder()).run(context -> assertThat(jdbc(context).queryForList(settings)).containsExactly(
                Map.of("name", "fsync", "setting", "on"),
                Map.of("name", "full_page_writes", "setting", "on"),
                Map.of("name", "synchronous_commit", "setting", "on")));
        service(startedFolder(), FAST).run(context -> assertThat(jdbc(context).queryForList(settings)).containsExactly(
                Map.of("name", "fsync", "setting", "off"),
                Map.of("name", "full_page_writes", "setting", "off"),
                Map.of("name", "synchronous_commit", "setting", "off")));
    }

    @Test
    void aStartAfterTheServiceWasKilledStopsTheServerItLeftAndComesUp() throws Exception {
        Path dir = startedFolder();
        Path log = Path.of("target", dir.getFileName() + "-killed.log");
        // a JVM that lives for seconds: the C1 compiler alone starts it faster
        Process service = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), EmbeddedDatabaseProcess.class.getName(), dir.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        leftovers.add(service.toHandle());
        await().atMost(Duration.ofSeconds(120)).until(() -> !service.isAlive() || Files.readString(log).contains("READY"));
        assertThat(Files.readString(log)).as("the killed service's log").contains("READY");
        ProcessHandle orphan = ProcessHandle.of(postmasterPid(dir)).orElseThrow();
        leftovers.add(orphan);

        service.destroyForcibly().waitFor();
        assertThat(orphan.isAlive()).as("the server a killed service leaves running").isTrue();

        service(dir).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(jdbc(context).queryForObject("SELECT note FROM kept", String.class))
                    .isEqualTo("written before the kill");
        });
        assertThat(orphan.isAlive()).as("the orphaned server was shut down").isFalse();
    }

    @Test
    void aLockFileNamingAnotherProcessIsReplacedAndThatProcessLeftAlone() throws Exception {
        Path dir = startedFolder();
        List<String> pidFile = new ArrayList<>();
        service(dir, FAST).run(context -> pidFile.addAll(Files.readAllLines(dir.resolve("postmaster.pid"))));

        // after a power loss the pid in postmaster.pid may belong to any process: here another PostgreSQL
        try (EmbeddedPostgres other = EmbeddedPostgres.builder().setPort(ServerPorts.free())
                .setDataDirectory(DataFolders.trusting("pg-embedded-")).setCleanDataDirectory(false).start()) {
            ProcessHandle otherPostmaster;
            try (Connection connection = other.getPostgresDatabase().getConnection()) {
                int backend = connection.unwrap(PGConnection.class).getBackendPID();
                otherPostmaster = ProcessHandle.of(backend).flatMap(ProcessHandle::parent).orElseThrow();
            }
            pidFile.set(0, Long.toString(otherPostmaster.pid()));
            Files.write(dir.resolve("postmaster.pid"), pidFile);

            service(dir, FAST).run(EmbeddedDatabaseIT::assertServes);

            assertThat(otherPostmaster.isAlive()).isTrue();
            assertThat(new JdbcTemplate(other.getPostgresDatabase()).queryForObject("SELECT 1", Integer.class))
                    .isEqualTo(1);
        }
    }

    @Test
    void aDataFolderInUseByARunningServiceIsLeftAlone() throws Exception {
        Path dir = startedFolder();
        service(dir, FAST).run(first -> {
            service(dir, FAST).run(second -> assertThat(second).hasFailed().getFailure()
                    .rootCause().hasMessageContaining("in use"));
            assertServes(first);
        });
    }

    private static void assertServes(AssertableApplicationContext context) {
        assertThat(context).hasNotFailed();
        assertThat(jdbc(context).queryForObject("SELECT current_user", String.class)).isEqualTo("postgres");
    }

    /** Without a password and with a wrong one, by TCP on both loopback addresses. */
    private static void assertRefused(int port) {
        for (String host : List.of("127.0.0.1", "localhost")) {
            assertThatThrownBy(() -> connect(host, port, null)).as("no password, " + host)
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> connect(host, port, "postgres")).as("wrong password, " + host)
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
        }
    }

    /** Unix-socket connections too (pgjdbc cannot make them): the server's own view of pg_hba.conf. */
    private static void assertEveryRuleNeedsThePassword(AssertableApplicationContext context) {
        List<Map<String, Object>> rules = jdbc(context).queryForList(
                "SELECT type, auth_method, error FROM pg_hba_file_rules ORDER BY rule_number");
        assertThat(rules).extracting(rule -> rule.get("type")).contains("local", "host");
        assertThat(rules).allSatisfy(rule -> {
            assertThat(rule.get("auth_method")).isEqualTo("scram-sha-256");
            assertThat(rule.get("error")).isNull();
        });
    }

    private static boolean connect(String host, int port, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        if (password != null) {
            properties.setProperty("password", password);
        }
        try (var connection = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres",
                properties)) {
            return connection.isValid(5);
        }
    }

    private static JdbcTemplate jdbc(AssertableApplicationContext context) {
        return new JdbcTemplate(context.getBean(DataSource.class));
    }

    private static long postmasterPid(Path dir) throws IOException {
        return Long.parseLong(Files.readAllLines(dir.resolve("postmaster.pid")).get(0).strip());
    }

    /**
     * A folder as the service's first start leaves it, for the tests whose subject comes after that
     * start: a copy (DataFolders), without an initdb of its own. The first start itself is
     * noConnectionIsAcceptedWithoutTheGeneratedPassword's subject, on a new folder.
     */
    private static Path startedFolder() {
        return DataFolders.embedded("pg-embedded-", IntegrationSupport.BINARIES);
    }

    /** An empty folder: the service's first start makes its database there (initdb). */
    private static Path newDataDir() throws IOException {
        Files.createDirectories(Path.of("target"));
        return Files.createTempDirectory(Path.of("target"), "pg-embedded-").toAbsolutePath();
    }
}
