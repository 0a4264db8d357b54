package co.soukosync.reload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What ROUTES_DIR holds at one moment: the content of every route file that can be read. A file
 * that cannot be (a dangling link, no permission, a folder with that name) or that is bigger
 * than {@link #MAX_BYTES} is left out and reported once, not at every poll: a reload must not
 * wait for what it cannot use, and a log line a second says nothing new.
 */
final class RouteFolder {

    /** Route files are small; a bigger one is a mistake, and parsing it would hold the reloader for minutes. */
    static final int MAX_BYTES = 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(RouteFolder.class);

    /** The content of each readable route file, and the names of those that could not be read. */
    record Snapshot(Map<Path, byte[]> readable, Set<Path> unreadable) {}

    private final Path folder;
    // the problem last reported for each file, so that it is said once
    private final Map<Path, String> reported = new HashMap<>();
    private boolean listingReported;

    RouteFolder(Path folder) {
        this.folder = folder;
    }

    /** The route files now; empty when the folder itself cannot be listed (then nothing is known to have changed). */
    Optional<Snapshot> read() {
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            if (!listingReported) {
                log.warn("Route folder {} cannot be listed, its routes keep serving as they are: {}", folder, e.toString());
                listingReported = true;
            }
            return Optional.empty();
        }
        listingReported = false;
        Map<Path, byte[]> readable = new HashMap<>();
        Set<Path> unreadable = new HashSet<>();
        for (Path file : files) {
            try {
                readable.put(file, content(file));
                reported.remove(file);
            } catch (TooBig e) {
                unreadable.add(file);
                reportOnce(file, "too big", "%d bytes, more than the 1 MB (%d bytes) a route file may have"
                        .formatted(e.size, MAX_BYTES));
            } catch (IOException | UncheckedIOException e) {
                unreadable.add(file);
                reportOnce(file, e.getClass().getName(), "it cannot be read (" + e + ")");
            }
        }
        // a file that comes back with the same problem later is reported again
        reported.keySet().retainAll(files);
        return Optional.of(new Snapshot(readable, unreadable));
    }

    private void reportOnce(Path file, String problem, String detail) {
        if (!problem.equals(reported.put(file, problem))) {
            log.warn("Route file {} skipped: {}; the routes it had keep serving", file.getFileName(), detail);
        }
    }

    private static byte[] content(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new TooBig(size);
        }
        try (InputStream in = Files.newInputStream(file)) {
            // it may be growing while it is read
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new TooBig(bytes.length);
            }
            return bytes;
        }
    }

    private static final class TooBig extends IOException {
        final long size;

        TooBig(long size) {
            super(size + " bytes");
            this.size = size;
        }
    }
}
