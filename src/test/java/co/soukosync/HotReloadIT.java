package co.soukosync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.model.ModelCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.util.FileSystemUtils;

/** ROUTES_DIR: route files edited while the service runs. */
@ExtendWith(OutputCaptureExtension.class)
// the folder is read every 50 ms and a file applied once it kept its content 250 ms (the half-written
// file of aHalfWrittenFileIsNotApplied gets a line every 25 ms); no other class has this configuration.
// With the API key set (the calls of api() carry it), as the route files' paths need it too.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestPropertySource(properties = {"soukosync.routes.dir=" + HotReloadIT.DIR, "soukosync.routes.poll-ms=50",
        "soukosync.routes.settle-ms=250", "soukosync.api-key=" + HotReloadIT.KEY})
class HotReloadIT extends IntegrationSupport {

    static final String KEY = "reload-key-0123456789";

    static final String DIR = "target/routes-under-test";

    static {
        // the folder starts empty, as a fresh compose volume does
        FileSystemUtils.deleteRecursively(Path.of(DIR).toFile());
    }

    private static final String HELLO = """
            - route:
                id: hello
                from:
                  uri: platform-http:/hello
                  steps:
                    - setBody:
                        constant: "%s"
            """;

    private static long writes;

    @Autowired
    CamelContext camel;

    @Override
    protected String apiKey() {
        return KEY;
    }

    /**
     * Drops a route file into ROUTES_DIR once Camel has loaded the routes and before the
     * service is ready, as an operator's copy running while the service starts would.
     */
    @TestConfiguration
    static class LateFile {
        @EventListener(ApplicationStartedEvent.class)
        void dropWhileStarting() throws IOException {
            Files.writeString(Path.of(DIR, "started.camel.yaml"), route("started", "/started", "started"));
        }
    }

    /**
     * Files already in ROUTES_DIR when the service starts (after the shipped ones were copied in, before
     * Camel loads the folder): one that claims the API's syncall, two that claim one path (the second
     * comes second), and one that does not parse.
     */
    @TestConfiguration
    static class FilesAtStart {
        @Bean
        static BeanPostProcessor dropFilesOnceTheFolderIsSeeded() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if ("routesFolder".equals(name)) {
                        try {
                            Files.writeString(Path.of(DIR, "a-takeover-at-start.camel.yaml"),
                                    route("takeover-at-start", "/api/syncall", "taken at start"));
                            Files.writeString(Path.of(DIR, "b-path-at-start.camel.yaml"), route("b-path-at-start", "/at-start", "b"));
                            Files.writeString(Path.of(DIR, "c-path-at-start.camel.yaml"), route("c-path-at-start", "/at-start", "c"));
                            Files.writeString(Path.of(DIR, "d-broken-at-start.camel.yaml"), "- route: {id: broken-at-start, from: {");
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                    return bean;
                }
            };
        }
    }

    private static String route(String id, String path, String body) {
        return """
                - route:
                    id: %s
                    from:
                      uri: platform-http:%s
                      steps:
                        - setBody:
                            constant: "%s"
                """.formatted(id, path, body);
    }

    private static void write(String name, String content) throws IOException {
        Path file = Path.of(DIR, name);
        Files.writeString(file, content);
        // each write gets a later time, so that two writes within one clock tick are both seen
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + ++writes * 1000));
    }

    /** Writes a file with one route answering {@code body} on {@code path} and waits until it does. */
    private void serve(String name, String path, String body) throws IOException {
        write(name, route(name.replace(".camel.yaml", ""), path, body));
        await().atMost(Duration.ofSeconds(15)).until(() -> body.equals(get(path).body()));
    }

    private static long lines(CapturedOutput output, String... parts) {
        return output.getAll().lines().filter(line -> List.of(parts).stream().allMatch(line::contains)).count();
    }

    @Test
    void routeFilesAreEditedWithoutARestartAndABrokenOneChangesNothing(CapturedOutput output) throws IOException {
        try (var files = Files.list(Path.of(DIR))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .contains("sync-api.camel.yaml", "sync-pipeline.camel.yaml", "error-handling.camel.yaml");
        }
        assertThat(patch("/api/syncall").json().get("data").asText()).isEqualTo("6 upserted");

        write("hello.camel.yaml", HELLO.formatted("hi"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "hi".equals(get("/hello").body()));

        write("broken.camel.yaml", "- route: {id: broken, from: {uri: 'nope:x'");
        await().atMost(Duration.ofSeconds(10)).until(() -> output.getAll().contains("Route file broken.camel.yaml NOT applied"));
        assertThat(patch("/api/syncall").json().get("response").asText()).isEqualTo("ok");

        // a broken neighbour does not block the edit of another file
        write("hello.camel.yaml", HELLO.formatted("hi again"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "hi again".equals(get("/hello").body()));

        // an edit that parses but cannot start leaves the route as it was
        write("hello.camel.yaml", """
                - route:
                    id: hello
                    from:
                      uri: platform-http:/hello
                      steps:
                        - to: nope:x
                """);
        await().atMost(Duration.ofSeconds(10)).until(() -> output.getAll().contains("Route hello restored as it was"));
        assertThat(get("/hello").body()).isEqualTo("hi again");
        assertThat(get("/api/synlast").status()).isEqualTo(200);

        Files.delete(Path.of(DIR, "hello.camel.yaml"));
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/hello").status() != 200);
        assertThat(patch("/api/syncall").json().get("response").asText()).isEqualTo("ok");
    }

    @Test
    void aFileThatReusesTheRouteIdOfAnotherFileIsRefused(CapturedOutput output) throws IOException {
        Path clash = Path.of(DIR, "clash.camel.yaml");
        write("clash.camel.yaml", """
                - route:
                    id: sync-store
                    from:
                      uri: direct:not-the-store
                      steps:
                        - log: "not the store"
                """);
        await().atMost(Duration.ofSeconds(15)).until(() -> lines(output, "clash.camel.yaml", "NOT applied") > 0);
        assertThat(lines(output, "WARN", "clash.camel.yaml", "NOT applied", "sync-store", "sync-pipeline.camel.yaml"))
                .isEqualTo(1);

        // the owner's route is untouched and the pipeline works
        Route store = camel.getRoute("sync-store");
        assertThat(store.getEndpoint().getEndpointUri()).isEqualTo("direct://sync-store");
        assertThat(store.getSourceResource().getLocation()).endsWith("sync-pipeline.camel.yaml");
        assertThat(patch("/api/syncall").json().get("data").asText()).isEqualTo("6 upserted");

        // and still does once the offending file is gone (seen by the reloader: a later edit is applied)
        Files.delete(clash);
        serve("after-refusal.camel.yaml", "/after-refusal", "later edit");
        assertThat(camel.getRoute("sync-store")).isSameAs(store);
        assertThat(patch("/api/syncall").json().get("response").asText()).isEqualTo("ok");
        assertThat(count("SELECT count(*) FROM sync_runs WHERE outcome = 'ok'")).isEqualTo(2);
        Files.delete(Path.of(DIR, "after-refusal.camel.yaml"));
    }

    /**
     * A file that claims an HTTP path the service serves (its API, the OpenAPI document, the
     * management endpoints, another file's path) is refused like an id clash, named in the log
     * with the path and its owner, and what served the path goes on serving it. Templates count:
     * /api/users/me is a path of GET /api/users/{id}.
     */
    @Test
    void aFileThatClaimsAPathTheServiceServesIsRefusedAndThePathKeepsItsOwner(CapturedOutput output) throws IOException {
        serve("path-owner.camel.yaml", "/owned", "owner");
        record Claim(String file, String content, String path, String owner) {}
        List<Claim> claims = List.of(
                new Claim("takeover.camel.yaml", route("takeover", "/api/syncall", "taken"), "/api/syncall",
                        "sync-api.camel.yaml"),
                new Claim("rest-takeover.camel.yaml", """
                        - rest:
                            path: /api
                            get:
                              - path: /synlast
                                routeId: rest-takeover
                                to: direct:rest-takeover
                        - route:
                            id: rest-takeover-answer
                            from:
                              uri: direct:rest-takeover
                              steps:
                                - setBody:
                                    constant: "taken"
                        """, "GET /api/synlast", "sync-api.camel.yaml"),
                new Claim("template-takeover.camel.yaml", route("template-takeover", "/api/users/me", "taken"),
                        "/api/users/{id}", "sync-api.camel.yaml"),
                new Claim("document-takeover.camel.yaml", route("document-takeover", "/api/openapi.json", "taken"),
                        "/api/openapi.json", "sync-api.camel.yaml"),
                new Claim("health-takeover.camel.yaml", route("health-takeover", "/actuator/health", "taken"),
                        "/actuator", "management"),
                new Claim("path-thief.camel.yaml", route("path-thief", "/owned", "thief"), "/owned", "path-owner.camel.yaml"));
        for (Claim claim : claims) {
            write(claim.file(), claim.content());
        }
        for (Claim claim : claims) {
            await().atMost(Duration.ofSeconds(15)).until(() -> lines(output, "Route file " + claim.file()) > 0);
            assertThat(lines(output, "WARN", "Route file " + claim.file() + " NOT applied", claim.path(), claim.owner()))
                    .as(claim.file()).isEqualTo(1);
            assertThat(lines(output, "Route file " + claim.file() + " applied")).as(claim.file()).isZero();
        }

        assertThat(patch("/api/syncall").json().get("data").asText()).isEqualTo("6 upserted");
        assertThat(get("/api/synlast").json().get("data")).hasSize(1);
        assertThat(get("/api/users/me").status()).isEqualTo(400);
        assertThat(get("/api/openapi.json").json().get("openapi").asText()).startsWith("3.");
        assertThat(get("/actuator/health").json().get("status").asText()).isNotBlank();
        assertThat(get("/owned").body()).isEqualTo("owner");
        for (Claim claim : claims) {
            Files.delete(Path.of(DIR, claim.file()));
        }
        Files.delete(Path.of(DIR, "path-owner.camel.yaml"));
    }

    /**
     * The same at start: the files there first (the service's own before the others) keep their
     * paths, and the others are named; a file that does not parse is left out, not all of them.
     */
    @Test
    void atStartAFileThatClaimsAServedPathIsRefusedToo(CapturedOutput output) {
        assertThat(patch("/api/syncall").json().get("data").asText()).isEqualTo("6 upserted");
        assertThat(get("/at-start").body()).isEqualTo("b");
        assertThat(camel.getRoute("takeover-at-start")).isNull();
        assertThat(camel.getRoute("c-path-at-start")).isNull();
        assertThat(lines(output, "WARN", "Route file a-takeover-at-start.camel.yaml NOT applied", "/api/syncall",
                "sync-api.camel.yaml")).isPositive();
        assertThat(lines(output, "WARN", "Route file c-path-at-start.camel.yaml NOT applied", "/at-start",
                "b-path-at-start.camel.yaml")).isPositive();
        assertThat(lines(output, "WARN", "Route file d-broken-at-start.camel.yaml NOT applied")).isPositive();
    }

    /**
     * The API key covers every path a route file serves, /demo/ too: the demo upstream's own paths
     * are open only in demo mode (DemoUpstreamIT), and this service has a configured upstream.
     */
    @Test
    void theApiKeyCoversTheRouteFilesPaths() throws IOException {
        serve("keyed.camel.yaml", "/keyed", "with the key");
        serve("demo-like.camel.yaml", "/demo/api/v1/iam/users/me", "not the demo");
        for (String path : List.of("/keyed", "/demo/api/v1/iam/users/me")) {
            Answer without = raw("GET", path);
            assertThat(without.status()).as(path).isEqualTo(401);
            assertThat(without.json().at("/data/reason").asText()).isEqualTo("unauthorized");
            assertThat(raw("GET", path, "Authorization: Bearer " + KEY).status()).as(path).isEqualTo(200);
        }
        Files.delete(Path.of(DIR, "keyed.camel.yaml"));
        Files.delete(Path.of(DIR, "demo-like.camel.yaml"));
    }

    @Test
    void aRouteMovesToAnotherFileOnceTheFirstFileLetsItGo(CapturedOutput output) throws IOException {
        serve("move-from.camel.yaml", "/moving", "from");
        write("move-to.camel.yaml", route("move-from", "/moving", "to"));
        await().atMost(Duration.ofSeconds(15))
                .until(() -> lines(output, "WARN", "move-to.camel.yaml NOT applied", "move-from.camel.yaml") == 1);
        assertThat(get("/moving").body()).isEqualTo("from");

        // the first file gives the route up (it keeps another one): the route is gone from it,
        // and the refused file is tried again and takes the id
        write("move-from.camel.yaml", route("stays", "/stays", "stays"));
        await().atMost(Duration.ofSeconds(15)).until(() -> "to".equals(get("/moving").body()));
        assertThat(get("/stays").body()).isEqualTo("stays");
        assertThat(camel.getRoute("move-from").getSourceResource().getLocation()).endsWith("move-to.camel.yaml");
        Files.delete(Path.of(DIR, "move-from.camel.yaml"));
        Files.delete(Path.of(DIR, "move-to.camel.yaml"));
    }

    @Test
    void rewritingAFileWithTheSameContentReloadsNothingAndLiveClientsSeeNoError(CapturedOutput output)
            throws IOException {
        Path api = Path.of(DIR, "sync-api.camel.yaml");
        String content = Files.readString(api);
        Path copy = Path.of(DIR, ".sync-api.camel.yaml.tmp");
        try (Clients clients = new Clients("/api/synlast")) {
            for (int i = 0; i < 100; i++) {
                switch (i % 3) {
                    // touch
                    case 0 -> Files.setLastModifiedTime(api, FileTime.fromMillis(System.currentTimeMillis() + ++writes * 1000));
                    // an editor's save: truncated, then written again
                    case 1 -> Files.writeString(api, content);
                    // an atomic replace by an identical copy
                    default -> {
                        Files.writeString(copy, content);
                        Files.move(copy, api, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                // the rewrites are spread over many polls, with clients answered in between
                clients.awaitMoreAnswers(3);
            }
            // the reloader has looked at the folder since the last rewrite: a later edit is applied
            serve("after-rewrites.camel.yaml", "/after-rewrites", "seen");
            clients.awaitMoreAnswers(10);
            assertThat(clients.failures()).isEmpty();
        }
        assertThat(lines(output, "Route file sync-api.camel.yaml")).isZero();
        assertThat(lines(output, "Stopped api-synlast")).isZero();
        Files.delete(Path.of(DIR, "after-rewrites.camel.yaml"));
    }

    @Test
    void aRealChangeSwapsTheRoutesWithoutAnErrorForLiveClients(CapturedOutput output) throws IOException {
        Path api = Path.of(DIR, "sync-api.camel.yaml");
        String content = Files.readString(api);
        try (Clients clients = new Clients("/api/synlast")) {
            for (int i = 1; i <= 6; i++) {
                // the last one puts the file back as it was
                Files.writeString(api, i < 6 ? content + "\n# edit " + i + "\n" : content);
                int applied = i;
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> lines(output, "Route file sync-api.camel.yaml applied") == applied);
                clients.awaitMoreAnswers(10);
                // the OpenAPI document, which the same file serves, is swapped with it, and stays
                assertThat(get("/api/openapi.json").status()).isEqualTo(200);
            }
            assertThat(clients.failures()).isEmpty();
        }
        assertThat(lines(output, "Stopped api-synlast")).isEqualTo(6);
        assertThat(patch("/api/syncall").json().get("data").asText()).isEqualTo("6 upserted");
    }

    @Test
    void aHalfWrittenFileIsNotApplied(CapturedOutput output) throws Exception {
        Path slow = Path.of(DIR, "slow.camel.yaml");
        List<String> text = route("slow", "/slow", "complete").lines().toList();
        // a slow copy: one line every 25 ms, a tenth of the settle time
        AtomicInteger written = new AtomicInteger();
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        try {
            writer.scheduleAtFixedRate(() -> {
                int line = written.get();
                if (line < text.size()) {
                    try {
                        Files.writeString(slow, text.get(line) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    written.incrementAndGet();
                }
            }, 0, 25, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> written.get() == text.size());
        } finally {
            writer.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> "complete".equals(get("/slow").body()));
        assertThat(lines(output, "Route file slow.camel.yaml NOT applied")).isZero();
        assertThat(lines(output, "Route file slow.camel.yaml applied")).isEqualTo(1);
        Files.delete(slow);
    }

    @Test
    void aRouteWithoutAnInputIsRefusedAndLeavesNothingBehind(CapturedOutput output) throws IOException {
        // valid YAML, as a file saved half-way can be, but no route
        write("no-input.camel.yaml", """
                - route:
                    id: no-input
                """);
        await().atMost(Duration.ofSeconds(15)).until(() -> lines(output, "Route file no-input.camel.yaml NOT applied") > 0);
        assertThat(((ModelCamelContext) camel).getRouteDefinition("no-input")).isNull();
        serve("served-beside-it.camel.yaml", "/served-beside-it", "served");
        Files.delete(Path.of(DIR, "no-input.camel.yaml"));
        Files.delete(Path.of(DIR, "served-beside-it.camel.yaml"));
    }

    @Test
    void aDanglingLinkIsSkippedWithOneWarningAndBlocksNothing(CapturedOutput output) throws IOException {
        Path link = Path.of(DIR, "dangling.camel.yaml");
        Files.createSymbolicLink(link, Path.of("no-such-target.camel.yaml"));
        try {
            serve("beside-link.camel.yaml", "/beside-link", "one");
            serve("beside-link.camel.yaml", "/beside-link", "two");
            assertThat(lines(output, "dangling.camel.yaml")).isEqualTo(1);
            assertThat(lines(output, "WARN", "Route file dangling.camel.yaml skipped")).isEqualTo(1);
        } finally {
            Files.delete(link);
            Files.deleteIfExists(Path.of(DIR, "beside-link.camel.yaml"));
        }
    }

    @Test
    void anOversizedFileIsRefusedWithOneWarningAndBlocksNothing(CapturedOutput output) throws IOException {
        Path big = Path.of(DIR, "oversized.camel.yaml");
        // 10 MB of comments
        String line = "# " + "x".repeat(1021) + "\n";
        Files.writeString(big, line.repeat(10 * 1024));
        try {
            serve("next-to-the-large-one.camel.yaml", "/next-to-the-large-one", "one");
            serve("next-to-the-large-one.camel.yaml", "/next-to-the-large-one", "two");
            assertThat(lines(output, "oversized.camel.yaml")).isEqualTo(1);
            assertThat(lines(output, "WARN", "Route file oversized.camel.yaml skipped", "1 MB")).isEqualTo(1);
        } finally {
            Files.delete(big);
            Files.deleteIfExists(Path.of(DIR, "next-to-the-large-one.camel.yaml"));
        }
    }

    @Test
    void theRoutesOfADeletedFileAnswer404LikeAnUnknownPath() throws IOException {
        serve("gone.camel.yaml", "/gone", "here");
        Answer unknown = get("/never-served");
        assertThat(unknown.status()).isEqualTo(404);

        Files.delete(Path.of(DIR, "gone.camel.yaml"));
        await().atMost(Duration.ofSeconds(15)).until(() -> get("/gone").status() != 200);
        Answer gone = get("/gone");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.contentType()).isEqualTo(unknown.contentType());
        assertThat(gone.json().get("data").get("reason")).isEqualTo(unknown.json().get("data").get("reason"));
    }

    @Test
    void aFileDroppedInWhileTheServiceStartsIsPickedUp() {
        await().atMost(Duration.ofSeconds(15)).until(() -> "started".equals(get("/started").body()));
    }

    /**
     * Two clients calling one endpoint, each again 10 ms after its answer, keeping every answer that
     * is not a 200: a swap (about 0.1 s here) meets calls in flight and calls arriving, at a
     * fraction of the CPU of calls without pause (about 4 CPU-seconds less for this class).
     */
    private final class Clients implements AutoCloseable {

        private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger answered = new AtomicInteger();
        private final Queue<String> failures = new ConcurrentLinkedQueue<>();
        private final ExecutorService threads = Executors.newFixedThreadPool(2);


        Clients(String path) {
            for (int i = 0; i < 2; i++) {
                threads.submit(() -> {
                    while (running.get()) {
                        try {
                            Answer answer = get(path);
                            if (answer.status() != 200) {
                                failures.add(answer.status() + " " + answer.body());
                            }
                        } catch (RuntimeException e) {
                            failures.add(e.toString());
                        }
                        answered.incrementAndGet();
                        LockSupport.parkNanos(PAUSE_NANOS);
                    }
                });
            }
        }

        void awaitMoreAnswers(int more) {
            int target = answered.get() + more;
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> answered.get() >= target);
        }

        List<String> failures() {
            return List.copyOf(failures);
        }

        @Override
        public void close() {
            running.set(false);
            threads.shutdown();
            try {
                assertThat(threads.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
