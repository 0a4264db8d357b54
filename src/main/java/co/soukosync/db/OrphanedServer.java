package co.soukosync.db;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service killed with kill -9 (or whose JVM died) leaves its embedded PostgreSQL running: pg_ctl
 * starts the server detached, and the shutdown hook that would stop it never ran. That server
 * holds the data folder, so the next start failed with {@code lock file "postmaster.pid" already
 * exists}. Before a start, this stops such a server as {@code pg_ctl stop -m fast} would. It
 * signals only a postgres process whose working directory is this data folder (a PostgreSQL
 * server runs in its data directory), and only while no running service holds the folder.
 */
final class OrphanedServer {

    private static final Logger log = LoggerFactory.getLogger(OrphanedServer.class);
    private static final long SHUTDOWN_WAIT_SECONDS = 60;

    private enum Owner { THIS_FOLDER, ANOTHER, UNKNOWN }

    private OrphanedServer() {
    }

    static void stopIfAny(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        // zonky keeps a lock on epg-lock for as long as its server runs: a folder locked by a live
        // service has no orphan, and neither its server nor its postmaster.pid may be touched
        try (FileChannel channel = FileChannel.open(dataDir.resolve("epg-lock"), CREATE, WRITE);
                FileLock lock = tryLock(channel)) {
            if (lock == null) {
                throw new IllegalStateException("The data folder " + dataDir.toAbsolutePath()
                        + " is in use by another running Soukosync (or another embedded PostgreSQL)");
            }
            Optional<ProcessHandle> process = pid(pidFile).flatMap(ProcessHandle::of);
            if (process.isEmpty()) {
                // a pid that is gone: PostgreSQL replaces such a lock file itself
                return;
            }
            switch (owner(process.get(), dataDir)) {
                case THIS_FOLDER -> stop(process.get(), dataDir);
                case ANOTHER -> {
                    // the pid was reused (after a reboot or a container restart): PostgreSQL would
                    // refuse to start because that process is alive, yet it is not ours to stop
                    log.warn("Removing a stale postmaster.pid in {}: process {} is not a PostgreSQL on this folder",
                            dataDir.toAbsolutePath(), process.get().pid());
                    Files.deleteIfExists(pidFile);
                }
                case UNKNOWN -> log.warn("postmaster.pid in {} names process {}, which could not be inspected:"
                        + " left alone; stop it if it is a PostgreSQL on this folder", dataDir.toAbsolutePath(),
                        process.get().pid());
            }
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // held within this JVM
            return null;
        }
    }

    private static Optional<Long> pid(Path pidFile) throws IOException {
        try {
            List<String> lines = Files.readAllLines(pidFile);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).strip()));
        } catch (NoSuchFileException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Owner owner(ProcessHandle process, Path dataDir) {
        Optional<String> command = process.info().command().map(c -> Path.of(c).getFileName().toString());
        // a binary removed while it runs shows as "postgres (deleted)"
        boolean postgres = command.filter(name -> name.matches("postgres( \\(deleted\\))?")).isPresent();
        if (command.isPresent() && !postgres) {
            return Owner.ANOTHER;
        }
        Path workingDir;
        try {
            workingDir = Path.of("/proc", Long.toString(process.pid()), "cwd").toRealPath();
        } catch (IOException e) {
            // not Linux, or a process of another user
            return Owner.UNKNOWN;
        }
        try {
            if (!workingDir.equals(dataDir.toRealPath())) {
                return Owner.ANOTHER;
            }
        } catch (IOException e) {
            return Owner.UNKNOWN;
        }
        return postgres ? Owner.THIS_FOLDER : Owner.UNKNOWN;
    }

    private static void stop(ProcessHandle server, Path dataDir) throws IOException {
        log.warn("An embedded PostgreSQL (pid {}) that an earlier run left running holds {}: shutting it down",
                server.pid(), dataDir.toAbsolutePath());
        // SIGINT is PostgreSQL's fast shutdown (what pg_ctl stop -m fast sends): sessions end, a
        // checkpoint is written, the server exits. ProcessHandle.destroy() would send SIGTERM, the
        // smart shutdown, which waits for every client to leave of its own accord.
        try {
            Process kill = new ProcessBuilder("sh", "-c", "kill -INT " + server.pid())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (kill.waitFor() != 0 && server.isAlive()) {
                throw new IllegalStateException("Could not signal the PostgreSQL (pid " + server.pid() + ") on "
                        + dataDir.toAbsolutePath());
            }
            server.onExit().get(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("The PostgreSQL (pid " + server.pid() + ") on " + dataDir.toAbsolutePath()
                    + " did not stop within " + SHUTDOWN_WAIT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping an orphaned PostgreSQL", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        log.info("The orphaned PostgreSQL (pid {}) has stopped", server.pid());
    }
}
