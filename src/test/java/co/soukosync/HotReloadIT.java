package co.soukosync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;
import org.springframework.util.FileSystemUtils;

/** ROUTES_DIR: route files edited while the service runs. */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = {"soukosync.routes.dir=" + HotReloadIT.DIR, "soukosync.routes.poll-ms=200"})
class HotReloadIT extends IntegrationSupport {

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
}
