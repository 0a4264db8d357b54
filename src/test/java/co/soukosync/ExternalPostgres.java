package co.soukosync;

import co.soukosync.db.DataFolders;
import co.soukosync.db.ServerPorts;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A PostgreSQL server that a test owns, for the application to use through DB_HOST: the test
 * can stop it and start it again on the same port and data, as a database restart would. Fast
 * tests that need a real PostgreSQL and no application use {@link #shared()}.
 */
public final class ExternalPostgres {

    private static ExternalPostgres shared;

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres server;
    private final Set<String> ownDatabases = new HashSet<>();

    /** One server for the fast tests of this JVM, started at the first call. */
    public static synchronized ExternalPostgres shared() {
        if (shared == null) {
            shared = new ExternalPostgres();
        }
        return shared;
    }

    public ExternalPostgres() {
        // initdb's work, copied: the server starts as on a folder it had stopped
        dataDir = DataFolders.trusting("pg-external-");
        // kept across stop() and start(): outside the range of port 0, where no other test's
        // server or client can take it while this one is stopped
        port = ServerPorts.free();
        start();
    }

    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            server = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false)
                    .setPort(port).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void stop() {
        try {
            if (server != null) {
                server.close();
                server = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Points the application under test at this server, as DB_HOST and friends would. */
    public void register(DynamicPropertyRegistry registry) {
        registry.add("soukosync.db.host", () -> "localhost");
        registry.add("spring.datasource.url", this::jdbcUrl);
        registry.add("spring.datasource.password", () -> "");
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    /** Connections to the server's postgres database, as its superuser. */
    public synchronized DataSource dataSource() {
        return server.getPostgresDatabase();
    }

    /** Connections to a database of this server of a test's own, made empty at the first call in a JVM. */
    public synchronized DataSource database(String name) {
        if (ownDatabases.add(name)) {
            try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + name);
                statement.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return server.getDatabase("postgres", name);
    }
}
