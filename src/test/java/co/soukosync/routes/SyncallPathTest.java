package co.soukosync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The figures of issue 21's closing note, made again whenever wanted: what one {@code PATCH /api/syncall} passes
 * through (RunPath says how it counts), and the lines of main Java and of route YAML. Printed for this tree; with
 * {@code -Dpath.before=<commit>} for that commit too (extracted with {@code git archive} under target/):
 *
 * <pre>./mvnw -q test -Dtest=SyncallPathTest -Dpath.before=47a5076</pre>
 */
class SyncallPathTest {

    static final String SYNCALL = "PATCH /api/syncall";

    @Test
    void printsWhatOneSyncallPassesThrough() throws Exception {
        RunPath now = RunPath.of(Path.of("."), SYNCALL, true);
        System.out.println(RunPath.of(Path.of("."), SYNCALL, false).report("this tree, a run that succeeds")
                + now.report("this tree, with the failures' way") + lines(Path.of(".")));

        // what it counts is there: the run's route, its store, a bean, a statement, the configuration
        assertThat(now.elements).extracting(RouteGraph.Element::id).contains("api-syncall", "sync-run", "sync-store",
                "sync-errors", "sync-failed");
        assertThat(now.routeFiles).contains("sync-api.camel.yaml", "sync-pipeline.camel.yaml", "error-handling.camel.yaml");
        assertThat(now.javaClasses).contains("SyncGate", "SyncStore", "SyncRun");
        assertThat(now.sqlFiles).contains("sql/run-finish-ok.sql", "sql/upsert-user.sql");
        assertThat(now.calls).extracting(RouteGraph.Call::target).contains("syncGate", "variable run");
        assertThat(now.unresolved).isEmpty();

        String before = System.getProperty("path.before");
        if (before != null && !before.isBlank()) {
            Path tree = extract(before.strip());
            System.out.println(RunPath.of(tree, SYNCALL, false).report(before + ", a run that succeeds")
                    + RunPath.of(tree, SYNCALL, true).report(before + ", with the failures' way") + lines(tree));
        }
    }

    /** Lines of the main Java sources and of the shipped route files. */
    static String lines(Path root) throws IOException {
        return "  lines: main Java " + count(root.resolve("src/main/java"), ".java") + ", route YAML "
                + count(root.resolve("src/main/resources/routes"), ".camel.yaml") + "\n";
    }

    private static long count(Path folder, String suffix) throws IOException {
        long lines = 0;
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path file : walk.filter(f -> f.toString().endsWith(suffix)).toList()) {
                lines += Files.readAllLines(file).size();
            }
        }
        return lines;
    }

    /** The tree of a commit, extracted once under target/ (git archive, no worktree). */
    private static Path extract(String commit) throws IOException, InterruptedException {
        Path tree = Path.of("target", "tree-" + commit.replaceAll("[^A-Za-z0-9._-]", "_"));
        if (!Files.isDirectory(tree.resolve("src"))) {
            Files.createDirectories(tree);
            Process archive = new ProcessBuilder("sh", "-c", "git archive \"$0\" src | tar -x -C \"$1\"", commit,
                    tree.toString()).inheritIO().start();
            assertThat(archive.waitFor()).as("git archive " + commit).isZero();
        }
        return tree;
    }
}
