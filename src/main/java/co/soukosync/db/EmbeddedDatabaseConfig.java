package co.soukosync.db;

import co.soukosync.config.SoukosyncProperties;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With DB_HOST unset, Soukosync runs on a PostgreSQL of its own, so that it starts with one
 * command on a machine that has none. Its data directory survives restarts, crashes included.
 *
 * <p>zonky's defaults suit tests, not data kept for years: they trust every local connection
 * (any local account became a superuser, who can run shell commands with COPY ... TO PROGRAM),
 * and they turn fsync and synchronous_commit off. Here every connection needs a password,
 * generated at the first start and kept in the data folder (PasswordFile), and the server is
 * durable unless a test says otherwise. Its programs are unpacked where only the service's user
 * can change them ({@link EmbeddedBinaries}), not in zonky's /tmp/embedded-pg, which anyone can.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${soukosync.db.host:}'.isBlank()")
class EmbeddedDatabaseConfig {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfig.class);

    /** pg_hba.conf, written at each start: TCP and Unix socket alike need the password. */
    private static final String ACCESS_RULES = """
            # Written by Soukosync at each start: every connection needs the password in %s.
            local all all scram-sha-256
            host all all 127.0.0.1/32 scram-sha-256
            host all all ::1/128 scram-sha-256
            """.formatted(PasswordFile.NAME);

    /** Only while a folder made without a password gets one: the service's own connection. */
    private static final String UPGRADE_RULES = """
            host postgres postgres 127.0.0.1/32 trust
            host postgres postgres ::1/128 trust
            """;

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(SoukosyncProperties properties) throws IOException, SQLException {
        return startOn(properties.db().embeddedDir(), properties.db().embeddedBinariesDir(),
                properties.db().embeddedDurable());
    }

    /**
     * The server of this data folder (DB_DATA_DIR), its programs unpacked into binariesDir
     * (DB_BINARIES_DIR): a new folder is made by initdb with a password; a folder made without one
     * gets one; a server a killed process left running is stopped first.
     */
    static EmbeddedPostgres startOn(Path dataDir, Path binariesDir, boolean durable) throws IOException, SQLException {
        Path binaries = EmbeddedBinaries.prepare(binariesDir);
        Files.createDirectories(dataDir);
        log.info("DB_HOST is not set: starting an embedded PostgreSQL with its data in {}", dataDir.toAbsolutePath());
        OrphanedServer.stopIfAny(dataDir);
        Optional<String> stored = PasswordFile.read(dataDir);
        String password = stored.orElseGet(PasswordFile::generate);
        if (!Files.exists(dataDir.resolve("postgresql.conf"))) {
            return initialize(dataDir, binaries, durable, password);
        }
        if (stored.isEmpty() || trustsAnyone(dataDir)) {
            setPassword(dataDir, binaries, durable, password);
        }
        return start(server(dataDir, binaries, durable, password, ACCESS_RULES), binaries);
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgres postgres, DataSourceProperties properties,
            SoukosyncProperties soukosync) throws IOException {
        Path dataDir = soukosync.db().embeddedDir();
        return properties.initializeDataSourceBuilder()
                .type(HikariDataSource.class)
                .url(postgres.getJdbcUrl("postgres", "postgres"))
                .username("postgres")
                .password(PasswordFile.read(dataDir).orElseThrow())
                .build();
    }

    /** A new folder: initdb gives the superuser its password, so the server never trusts anyone. */
    private static EmbeddedPostgres initialize(Path dataDir, Path binaries, boolean durable, String password) throws IOException {
        // initdb wants an empty folder: its copy of the password waits outside until it has run
        Path forInitdb = Files.createTempFile("soukosync-initdb-", ".tmp", PasswordFile.OWNER_ONLY);
        try {
            Files.writeString(forInitdb, password);
            // zonky passes its "locale" settings to initdb as --key=value after its own "-A trust",
            // so these win
            return start(server(dataDir, binaries, durable, password, ACCESS_RULES)
                    .setLocaleConfig("auth", "scram-sha-256")
                    .setLocaleConfig("pwfile", forInitdb.toString()), binaries);
        } finally {
            Files.deleteIfExists(forInitdb);
        }
    }

    /**
     * A folder made by an older version (everyone trusted) or whose password file was removed:
     * one start that lets only the superuser in by TCP, to set the password, then the normal start.
     * Redone at the next start should the process die in between.
     */
    private static void setPassword(Path dataDir, Path binaries, boolean durable, String password)
            throws IOException, SQLException {
        log.warn("The embedded PostgreSQL in {} was made without a password (by an older version) or lost its"
                + " password file: setting the password kept in {}", dataDir.toAbsolutePath(),
                dataDir.resolve(PasswordFile.NAME).toAbsolutePath());
        try (EmbeddedPostgres server = start(server(dataDir, binaries, durable, password, UPGRADE_RULES), binaries);
                Connection connection = server.getPostgresDatabase().getConnection()) {
            // the SCRAM verifier is computed here: the password itself never reaches the server or its log
            connection.unwrap(PGConnection.class).alterUserPassword("postgres", password.toCharArray(), "scram-sha-256");
        }
    }

    private static EmbeddedPostgres start(EmbeddedPostgres.Builder server, Path binaries) throws IOException {
        try {
            return server.start();
        } finally {
            EmbeddedBinaries.tighten(binaries);
        }
    }

    private static EmbeddedPostgres.Builder server(Path dataDir, Path binaries, boolean durable, String password,
            String accessRules) {
        String durability = durable ? "on" : "off";
        return EmbeddedPostgres.builder()
                // unpacked once into this folder, and run from there
                .setOverrideWorkingDirectory(binaries.toFile())
                .setPgBinaryResolver(new EmbeddedBinaries.Resolver(binaries))
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(ServerPorts.free())
                // stopped by Spring, after every bean that uses it (the run in progress, Quartz),
                // not by zonky's own shutdown hook, which SIGTERM ran at once, beside Spring's:
                // the database went away under a run that a graceful stop was waiting for
                .setRegisterShutdownHook(false)
                // zonky starts the server with -F (fsync off) and synchronous_commit off: a power
                // loss could then corrupt the folder. These -c settings come after -F and win.
                .setServerConfig("fsync", durability)
                .setServerConfig("synchronous_commit", durability)
                .setServerConfig("full_page_writes", durability)
                // zonky's readiness check logs in too
                .setConnectConfig("password", password)
                // crash recovery can take longer than zonky's 10 s
                .setPGStartupWait(Duration.ofSeconds(60))
                // runs after initdb and before the server starts
                .setDataDirectoryCustomizer(dir -> {
                    try {
                        Files.writeString(dataDir.resolve("pg_hba.conf"), accessRules);
                        PasswordFile.write(dataDir.resolve(PasswordFile.NAME), password);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    private static boolean trustsAnyone(Path dataDir) throws IOException {
        Path rules = dataDir.resolve("pg_hba.conf");
        if (!Files.exists(rules)) {
            return true;
        }
        try (Stream<String> lines = Files.lines(rules)) {
            return lines.map(line -> line.replaceFirst("#.*", "").strip())
                    .anyMatch(rule -> List.of(rule.split("\\s+")).contains("trust"));
        }
    }
}
