package co.soukosync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import co.soukosync.routes.CamelYamlSchema.Violation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every route file the service ships, and the README's route example, against Camel's own YAML DSL schema: a file
 * that Camel's editors (Kaoto, the VS Code extension, the camel CLI) would flag fails the build. Runs from the
 * project root, as surefire does.
 */
class RouteSchemaTest {

    private static final Path ROUTES = Path.of("src/main/resources/routes");
    // the route example lives in the operations guide (README.md links it)
    private static final Path README = Path.of("docs/operations.md");
    private static final String README_SECTION = "Edit the routes";

    private static CamelYamlSchema schema;

    @BeforeAll
    static void loadSchema() {
        schema = CamelYamlSchema.fromClasspath();
    }

    @Test
    void theSchemaIsTheOneInTheCamelYamlDslJarOfTheCamelInUse() {
        String camelApiJar = CamelContext.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        Matcher version = Pattern.compile("camel-api-([^/]+)\\.jar$").matcher(camelApiJar);
        assertThat(version.find()).as("Camel version from %s", camelApiJar).isTrue();

        assertThat(schema.source().toString())
                .contains("/camel-yaml-dsl-" + version.group(1) + ".jar!/" + CamelYamlSchema.RESOURCE);
        assertThat(schema.draft()).isEqualTo("http://json-schema.org/draft-04/schema#");
    }

    @TestFactory
    Stream<DynamicTest> everyShippedRouteFileMatchesCamelsSchema() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.walk(ROUTES)) {
            files = listing.filter(f -> f.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        }
        assertThat(files).as("route files under %s", ROUTES.toAbsolutePath()).isNotEmpty();
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            List<Violation> violations = schema.check(Files.readString(file, StandardCharsets.UTF_8));
            assertThat(violations).withFailMessage(() -> report(file.toString(), 0, violations)).isEmpty();
        }));
    }

    @Test
    void theReadmesRouteExampleMatchesCamelsSchema() throws IOException {
        ReadmeExample example = readmeExample();
        assertThat(example.yaml()).contains("- route:");

        List<Violation> violations = schema.check(example.yaml());

        assertThat(violations)
                .withFailMessage(() -> report(README.toString(), example.firstLine() - 1, violations))
                .isEmpty();
    }

    @Test
    void aMisspelledEipIsFlaggedWhereItIs() {
        List<Violation> violations = schema.check("""
                - route:
                    id: hello
                    from:
                      uri: platform-http:/hello
                      steps:
                        - setBdy:
                            constant: hi
                """);

        assertThat(violations).hasSize(1);
        assertThat(violations.get(0).path()).isEqualTo("$[0].route.from.steps[0]");
        assertThat(violations.get(0).line()).isEqualTo(6);
        assertThat(violations.get(0).message()).contains("'setBdy'");
    }

    @Test
    void aMisspelledOptionIsFlagged() {
        List<Violation> violations = schema.check("""
                - route:
                    from:
                      uri: direct:a
                      steps:
                        - log:
                            mesage: hi
                """);

        assertThat(violations).extracting(Violation::path).contains("$[0].route.from.steps[0].log");
        assertThat(violations).extracting(Violation::message).anyMatch(m -> m.contains("'mesage'"));
    }

    @Test
    void literalsWrittenAsStringsAreFlagged() {
        List<Violation> violations = schema.check("""
                - routeConfiguration:
                    onException:
                      - onException:
                          exception:
                            - java.lang.Exception
                          redeliveryPolicy:
                            maximumRedeliveries: "1"
                            useExponentialBackOff: "true"
                            backOffMultiplier: "2"
                - route:
                    streamCache: "false"
                    from:
                      uri: direct:a
                      steps:
                        - to: direct:b
                """);

        String policy = "$[0].routeConfiguration.onException[0].onException.redeliveryPolicy.";
        assertThat(violations).extracting(Violation::path).containsExactly(
                policy + "maximumRedeliveries",
                policy + "useExponentialBackOff",
                policy + "backOffMultiplier",
                "$[1].route.streamCache");
        assertThat(violations.get(3).message()).isEqualTo("\"false\" is a string, the schema wants a boolean");
    }

    @Test
    void aFaultInsideAnAlternativeIsNamedWhereItIs() {
        // errorHandler is a oneOf of seven kinds: the message names the bad option, not the six other kinds
        List<Violation> violations = schema.check("""
                - route:
                    errorHandler:
                      defaultErrorHandler:
                        redeliveryPolicy:
                          maximumRedeliveries: "5"
                    from:
                      uri: direct:a
                      steps:
                        - to: direct:b
                """);

        assertThat(violations).extracting(Violation::toString).containsExactly(
                "$[0].route.errorHandler.defaultErrorHandler.redeliveryPolicy.maximumRedeliveries (line 5): "
                        + "\"5\" is a string, the schema wants a number");
    }

    @Test
    void anUnknownKindInAnAlternativeIsStillFlagged() {
        List<Violation> violations = schema.check("""
                - route:
                    errorHandler:
                      defaultErrorHandlr: {}
                    from:
                      uri: direct:a
                      steps:
                        - to: direct:b
                """);

        assertThat(violations).extracting(Violation::toString).containsExactly(
                "$[0].route.errorHandler (line 3): 'defaultErrorHandlr' is not a key the schema knows here");
    }

    @Test
    void aWholePlaceholderPassesWhereANumberOrBooleanIsWanted() {
        List<Violation> violations = schema.check("""
                - route:
                    autoStartup: "{{app.enabled}}"
                    streamCache: "{{app.cache:false}}"
                    errorHandler:
                      defaultErrorHandler:
                        redeliveryPolicy:
                          maximumRedeliveries: "{{app.retries}}"
                          useExponentialBackOff: "{{app.backoff}}"
                    from:
                      uri: "{{app.url}}/x"
                      steps:
                        - to: direct:b
                """);

        assertThat(violations).isEmpty();
    }

    @Test
    void onlyAWholePlaceholderPasses() {
        List<Violation> violations = schema.check("""
                - route:
                    autoStartup: "{{app.enabled}} "
                    errorHandler:
                      defaultErrorHandler:
                        redeliveryPolicy:
                          maximumRedeliveries: "{{app.retries}}0"
                    from:
                      uri: direct:a
                      steps:
                        - to: direct:b
                """);

        assertThat(violations).extracting(Violation::path).containsExactly(
                "$[0].route.autoStartup",
                "$[0].route.errorHandler.defaultErrorHandler.redeliveryPolicy.maximumRedeliveries");
    }

    @Test
    void aPlaceholderIsNoExcuseWhereTheSchemaWantsSomethingElse() {
        // a string is wanted here (one of two values): the placeholder is checked as the string it is
        List<Violation> violations = schema.check("""
                - route:
                    shutdownRoute: "{{app.shutdown}}"
                    from:
                      uri: direct:a
                      steps:
                        - to: direct:b
                """);

        assertThat(violations).extracting(Violation::path).containsExactly("$[0].route.shutdownRoute");
    }

    /** A block of YAML in the README, and the README's line number of its first line. */
    private record ReadmeExample(String yaml, int firstLine) {
    }

    /** The first ```yaml block under the README heading "Edit the routes", without the list item's indent. */
    private static ReadmeExample readmeExample() throws IOException {
        List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
        int at = 0;
        while (at < lines.size() && !lines.get(at).matches("#+\\s+" + Pattern.quote(README_SECTION) + "\\s*")) {
            at++;
        }
        assertThat(at).as("heading \"%s\" in %s", README_SECTION, README.toAbsolutePath()).isLessThan(lines.size());
        at++;
        while (at < lines.size() && !lines.get(at).trim().equals("```yaml")) {
            assertThat(lines.get(at)).as("a ```yaml block before the next heading in %s", README).doesNotStartWith("#");
            at++;
        }
        assertThat(at).as("a ```yaml block under \"%s\" in %s", README_SECTION, README).isLessThan(lines.size());
        int indent = lines.get(at).indexOf('`');
        int firstLine = at + 2;
        List<String> block = new ArrayList<>();
        for (at++; at < lines.size() && !lines.get(at).trim().equals("```"); at++) {
            String line = lines.get(at);
            block.add(line.isBlank() ? "" : line.substring(Math.min(indent, line.length() - line.stripLeading().length())));
        }
        assertThat(at).as("the end of the ```yaml block in %s", README).isLessThan(lines.size());
        return new ReadmeExample(String.join("\n", block) + "\n", firstLine);
    }

    /** The violations, one a line, each as file:line (the file's line: the checked text starts after lineOffset). */
    private static String report(String file, int lineOffset, List<Violation> violations) {
        return file + " does not match Camel's YAML DSL schema (" + schema.source() + "), " + violations.size()
                + " violation(s):\n" + violations.stream()
                        .map(v -> "  " + file + ":" + (v.line() + lineOffset) + "  " + v.path() + ": " + v.message())
                        .collect(Collectors.joining("\n"));
    }
}
