package co.soukosync.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.stream.Stream;

/**
 * New PostgreSQL data folders for the tests' servers, under target/: each a copy of a folder that
 * initdb made once for the whole build (0.07 to 0.12 s to copy its 973 files, against 0.7 to 1.7 s
 * of wall and about 0.7 CPU-s for an initdb, which ran about twenty times a build before). The copy
 * is what a server stopped cleanly leaves, and it starts as a restarted server does. The first start of a folder (initdb
 * with a password) stays under test where it is the subject: EmbeddedDatabaseIT, and the making
 * of the template here. Test JVMs side by side make a template once between them (a file lock).
 * The templates stay in target/ (target/pg-template-KIND-BINARIES) for the next build.
 */
public final class DataFolders {

    private static final Path TARGET = Path.of("target");

    /**
     * Names the PostgreSQL binaries on the class path (their jar's path carries the version), so
     * that a target/ kept from a build with other binaries gets templates of its own.
     */
    private static final String BINARIES = Integer.toHexString(String.valueOf(
            DataFolders.class.getClassLoader().getResource("postgres-linux-x86_64.txz")).hashCode());

    private DataFolders() {}

    /**
     * For a server a test owns ({@code ExternalPostgres}): zonky's initdb, every local connection
     * trusted, as a CI database would be.
     */
    public static Path trusting(String prefix) {
        return copy(template("pg-template-trusting", folder -> {
            EmbeddedPostgres.builder().setDataDirectory(folder).setCleanDataDirectory(false)
                    .setPort(ServerPorts.free()).start().close();
        }), prefix);
    }

    /**
     * For the service's own embedded PostgreSQL (DB_DATA_DIR), with the service's binaries folder:
     * made by the service's own code (initdb with a generated password, its password file), as a
     * first start leaves it.
     */
    public static Path embedded(String prefix, String binariesDir) {
        return copy(template("pg-template-embedded", folder -> {
            try {
                EmbeddedDatabaseConfig.startOn(folder, Path.of(binariesDir), false).close();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }), prefix);
    }

    private interface Maker {
        void make(Path folder) throws IOException;
    }

    private static synchronized Path template(String kind, Maker maker) {
        String name = kind + "-" + BINARIES;
        Path template = TARGET.resolve(name).toAbsolutePath();
        if (Files.isDirectory(template)) {
            return template;
        }
        try {
            Files.createDirectories(TARGET);
            try (FileChannel channel = FileChannel.open(TARGET.resolve(name + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
                if (!Files.isDirectory(template)) {
                    // made aside and moved in whole: a template folder that exists is complete
                    Path making = Files.createTempDirectory(TARGET, name + "-making-").toAbsolutePath();
                    maker.make(making);
                    Files.move(making, template, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            return template;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new folder target/{prefix}N with the template's files, their modes and owners. */
    private static Path copy(Path template, String prefix) {
        try {
            Path folder = Files.createTempDirectory(TARGET, prefix).toAbsolutePath();
            try (Stream<Path> files = Files.walk(template)) {
                for (Path file : (Iterable<Path>) files.skip(1)::iterator) {
                    Files.copy(file, folder.resolve(template.relativize(file)), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
