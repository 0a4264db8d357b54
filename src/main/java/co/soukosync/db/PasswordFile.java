package co.soukosync.db;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * The embedded server's superuser password: generated once, kept in the data folder in a file
 * that only its owner may read or write (the folder itself is 0700, as PostgreSQL requires).
 */
final class PasswordFile {

    static final String NAME = "soukosync-db-password";
    static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private PasswordFile() {
    }

    /** 256 random bits, in characters that need no quoting anywhere. */
    static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static Optional<String> read(Path dataDir) throws IOException {
        Path file = dataDir.resolve(NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(Files.readString(file).strip()).filter(password -> !password.isEmpty());
    }

    /**
     * Written at each start, so that it is owner-only again should anyone have widened it; owner-only
     * from its creation on, and whole or not at all should the process die meanwhile.
     */
    static void write(Path file, String password) throws IOException {
        Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), NAME, ".tmp", OWNER_ONLY);
        Files.writeString(temp, password + "\n");
        Files.move(temp, file, ATOMIC_MOVE, REPLACE_EXISTING);
    }
}
