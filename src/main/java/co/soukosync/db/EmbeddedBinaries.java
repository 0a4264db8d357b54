package co.soukosync.db;

import com.sun.security.auth.module.UnixSystem;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The folder that the embedded PostgreSQL's programs are unpacked into and run from.
 *
 * <p>zonky's default is /tmp/embedded-pg, which it makes writable by everyone without the sticky
 * bit: any local account could put its own postgres or initdb there, and the service would run
 * it. Here the folder is the service user's alone: made 0700, and checked before anything in it
 * runs, with every folder above it. A folder that another account owns, or in which another
 * account can add, rename or delete entries (a sticky folder such as /tmp lets nobody rename what
 * is not theirs), stops the start with one line that names it.
 *
 * <p>The programs are unpacked once per folder (zonky leaves a marker); later starts, in any JVM,
 * find them there.
 */
final class EmbeddedBinaries {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS_WRITE =
            EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
    private static final int ROOT = 0;
    private static final int STICKY = 01000;

    /** The folder cannot be trusted: what is wrong, and what to do (UnsafeFolderAnalyzer reports them). */
    static final class UnsafeFolderException extends IllegalStateException {
        final String problem;
        final String fix;

        UnsafeFolderException(String problem, String fix) {
            super(problem + "; " + fix);
            this.problem = problem;
            this.fix = fix;
        }
    }

    /**
     * zonky keeps the folder it unpacked into per resolver, for the life of the JVM: with its
     * shared default resolver, a first server started elsewhere in the JVM (a test's) would decide
     * the folder of every later one. One resolver per folder keeps this folder's programs apart.
     */
    record Resolver(Path folder) implements PgBinaryResolver {
        @Override
        public InputStream getPgBinary(String system, String machineHardware) throws IOException {
            return DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
        }
    }

    private EmbeddedBinaries() {
    }

    /**
     * The folder (its real path, which is what is checked and used), made 0700 if missing, once
     * it is checked to be this user's alone.
     */
    static Path prepare(Path configured) throws IOException {
        Path wanted = configured.toAbsolutePath().normalize();
        if (!unix()) {
            // no POSIX owners or modes to check (Windows): the user's own profile keeps it
            return Files.createDirectories(wanted);
        }
        Path folder = Files.createDirectories(wanted, PosixFilePermissions.asFileAttribute(OWNER_ONLY)).toRealPath();
        long me = new UnixSystem().getUid();
        check(folder, me, true);
        for (Path above = folder.getParent(); above != null; above = above.getParent()) {
            check(above, me, false);
        }
        return folder;
    }

    /**
     * After a start: zonky gives the folder it unpacks into write access for all (it expects to
     * share /tmp with other users' tests), and unpacks with the process's umask. Nobody else could
     * enter the folder meanwhile (0700); this takes the write access back, inside as well.
     */
    static void tighten(Path folder) {
        if (!unix()) {
            return;
        }
        try (Stream<Path> all = Files.walk(folder)) {
            all.forEach(path -> {
                try {
                    if (Files.isSymbolicLink(path)) {
                        return;
                    }
                    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path);
                    if (path.equals(folder) && !mode.equals(OWNER_ONLY)) {
                        Files.setPosixFilePermissions(path, OWNER_ONLY);
                    } else if (mode.removeAll(GROUP_OR_OTHERS_WRITE)) {
                        Files.setPosixFilePermissions(path, mode);
                    }
                } catch (NoSuchFileException e) {
                    // zonky's lock file, gone once another process on this folder finished unpacking
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void check(Path folder, long me, boolean own) throws IOException {
        long owner = (Integer) Files.getAttribute(folder, "unix:uid");
        int mode = (Integer) Files.getAttribute(folder, "unix:mode");
        String which = own ? folder + " (the folder its programs run from)"
                : folder + " (a folder above the one its programs run from)";
        if (own ? owner != me : owner != me && owner != ROOT) {
            throw new UnsafeFolderException(("Not starting the embedded PostgreSQL: %s belongs to user id %d, not to this"
                    + " service's user (%d), and could have its programs swapped").formatted(which, owner, me),
                    "set DB_BINARIES_DIR to a folder of this user's");
        }
        if ((own || (mode & STICKY) == 0) && othersCanChangeEntries(mode)) {
            throw new UnsafeFolderException(("Not starting the embedded PostgreSQL: %s lets other users add or replace files"
                    + " in it (mode %o), so they could swap its programs").formatted(which, mode & 07777),
                    "run chmod go-w " + folder + ", or set DB_BINARIES_DIR to a folder only this user can write");
        }
    }

    /** Changing a folder's entries takes write and search permission together; zonky's leftover write bit alone does not. */
    private static boolean othersCanChangeEntries(int mode) {
        return (mode & 030) == 030 || (mode & 03) == 03;
    }

    private static boolean unix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("unix");
    }
}
