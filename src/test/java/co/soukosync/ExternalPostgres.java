package co.soukosync;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A PostgreSQL server that a test owns, for the application to use through DB_HOST: the test
 * can stop it and start it again on the same port and data, as a database restart would.
 */
final class ExternalPostgres {

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres server;

    ExternalPostgres() {
        try {
            Files.createDirectories(Path.of("target"));
            dataDir = Files.createTempDirectory(Path.of("target"), "pg-external-").toAbsolutePath();
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    synchronized void start() {
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

    synchronized void stop() {
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
    void register(DynamicPropertyRegistry registry) {
        registry.add("soukosync.db.host", () -> "localhost");
        registry.add("spring.datasource.url", this::jdbcUrl);
        registry.add("spring.datasource.password", () -> "");
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }
}
