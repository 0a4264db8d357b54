package co.soukosync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import co.soukosync.routes.RouteReferences.Problem;
import co.soukosync.routes.RouteReferences.RouteFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.TestComponent;

/**
 * The route files name beans, methods, classes and endpoints by string: no compiler sees them. This test is their
 * compiler: every route file (the shipped ones, the test routes) read as YAML and every name in it resolved against
 * the compiled classes, without a Spring context, a Camel context or a database, in a second or two. A renamed
 * bean method fails here, not in a whole-application test minutes later.
 */
class RouteReferencesTest {

    private static final Path MAIN_ROUTES = Path.of("src/main/resources/routes");
    private static final Path TEST_ROUTES = Path.of("src/test/resources/test-routes");
    private static final Path RESOURCES = Path.of("src/main/resources");
    private static final Path TEST_SOURCES = Path.of("src/test/java");
    // a route configuration, a clause, an error handler, a redelivery policy (as a bean or inline)
    private static final Pattern ERROR_HANDLING = Pattern.compile(
            "^\\s*-?\\s*(routeConfiguration|onException|errorHandler|redeliveryPolicy):|RedeliveryPolicy\\b");

    @Test
    void everyBeanMethodClassAndEndpointTheRouteFilesNameExists() {
        List<RouteFile> files = RouteReferences.files(MAIN_ROUTES, TEST_ROUTES);

        RouteReferences check = RouteReferences.check(files, "co.soukosync", RESOURCES, TEST_SOURCES);
        System.out.println("RouteReferencesTest: " + files.size() + " route files, " + check.summary());

        assertThat(check.problems()).withFailMessage(() -> report("do not resolve", check.problems())).isEmpty();
        // a check that found nothing to check would pass whatever the files say
        assertThat(files).extracting(RouteFile::name).anyMatch(f -> f.endsWith("sync-pipeline.camel.yaml"))
                .anyMatch(f -> f.endsWith("sync-api.camel.yaml")).anyMatch(f -> f.endsWith("failing-step.camel.yaml"));
        assertThat(check.checked()).containsKeys("bean: ref", "method", "bean: ${bean:…}", "bean: URI parameter",
                "run: method or property", "endpoint sent to", "endpoint consumed", "routeConfigurationId",
                "class: exception", "beans: type");
    }

    @Test
    void everyDirectAndSedaConsumerIsCalled() {
        // shipped routes: by a shipped route; test routes: by any route or by a test (ErrorClausesTest calls "work")
        RouteReferences check = RouteReferences.check(RouteReferences.files(MAIN_ROUTES, TEST_ROUTES), "co.soukosync",
                RESOURCES, TEST_SOURCES);

        assertThat(check.unusedConsumers()).withFailMessage(() -> "Consumers nothing sends to (dead routes):\n  "
                + String.join("\n  ", check.unusedConsumers())).isEmpty();
    }

    @Test
    void errorHandlingIsDeclaredInErrorHandlingCamelYamlOnly() {
        List<String> elsewhere = new ArrayList<>();
        for (RouteFile file : RouteReferences.files(MAIN_ROUTES)) {
            if (file.name().endsWith("/error-handling.camel.yaml")) {
                continue;
            }
            String[] lines = file.text().split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (ERROR_HANDLING.matcher(lines[i]).find()) {
                    elsewhere.add(file.name() + ":" + (i + 1) + "  " + lines[i].strip());
                }
            }
        }

        assertThat(elsewhere).withFailMessage(() -> "Error handling outside error-handling.camel.yaml (every retry "
                + "policy, route configuration and onException clause belongs there):\n  "
                + String.join("\n  ", elsewhere)).isEmpty();
    }

    @Test
    void everyDoTrySaysAtTheSpotWhyNoRouteConfigurationCanDoItsJob() {
        List<String> unexplained = new ArrayList<>();
        int doTries = 0;
        for (RouteFile file : RouteReferences.files(MAIN_ROUTES)) {
            String[] lines = file.text().split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].strip().equals("- doTry:")) {
                    doTries++;
                    String comment = i > 0 ? lines[i - 1].strip() : "";
                    if (!comment.startsWith("# doTry, not a clause:")) {
                        unexplained.add(file.name() + ":" + (i + 1));
                    }
                }
            }
        }

        assertThat(unexplained).withFailMessage(() -> "A doTry without its reason on the line before it (\"# doTry, "
                + "not a clause: …\", and in docs/architecture.md, \"Errors\"):\n  " + String.join("\n  ", unexplained))
                .isEmpty();
        System.out.println("RouteReferencesTest: " + doTries + " doTry in the shipped route files");
    }

    // --- the check itself, on route files written here, against the beans below ------------------

    /** A bean as the application declares them. */
    @TestComponent("greeter")
    public static class Greeter {

        public String greet(@Body String name) {
            return "hello " + name;
        }

        public String both(String first, String second) {
            return first + second;
        }

        public static String of(String reason, String message) {
            return reason + message;
        }

        public void enter(@Variable("trip") Trip trip) {
            trip.at("start");
        }
    }

    /** A state object that the routes reach through the variable "trip", as they reach the run through "run". */
    public static class Trip {

        public void at(String stage) {
        }

        public boolean isDryRun() {
            return false;
        }

        public Leg getLeg() {
            return new Leg();
        }
    }

    public static class Leg {

        public String getStage() {
            return "start";
        }
    }

    private static List<Problem> problemsOf(String yaml) {
        return RouteReferences.check(List.of(new RouteFile("t.camel.yaml", yaml, false)),
                RouteReferencesTest.class.getPackageName(), RESOURCES).problems();
    }

    private static List<String> whats(List<Problem> problems) {
        return problems.stream().map(Problem::what).toList();
    }

    @Test
    void aRenamedMethodIsNamedWithItsFileAndLine() {
        List<Problem> problems = problemsOf("""
                - route:
                    id: r
                    from:
                      uri: direct:r
                      steps:
                        - bean:
                            ref: greeter
                            method: greet
                        - setBody:
                            method:
                              ref: greeter
                              method: great
                """);

        assertThat(problems).extracting(Problem::toString).containsExactly(
                "t.camel.yaml:12  greeter (" + Greeter.class.getName() + ") has no public method great");
    }

    @Test
    void anArgumentCountThatNoOverloadTakesIsFlagged() {
        List<Problem> problems = problemsOf("""
                - route:
                    from:
                      uri: direct:r
                      steps:
                        - setBody:
                            method:
                              beanType: %s
                              method: "of(${body}, 'a, (b)')"
                        - setBody:
                            method:
                              beanType: %s
                              method: "of(${body})"
                """.formatted(Greeter.class.getName(), Greeter.class.getName()));

        assertThat(whats(problems)).containsExactly(Greeter.class.getName() + ".of(${body}): no public of with 1 "
                + "parameter(s), only [of(String, String)]");
    }

    @Test
    void parametersCamelCannotBindAreFlagged() {
        List<Problem> problems = problemsOf("""
                - route:
                    from:
                      uri: direct:r
                      steps:
                        - bean:
                            ref: greeter
                            method: both
                        - setBody:
                            simple: "${bean:greeter?method=both('a', 'b')}"
                """);

        assertThat(whats(problems)).singleElement().asString().startsWith("greeter.both: Camel cannot bind the parameters");
    }

    @Test
    void aMissingBeanIsFlaggedWhereverItIsNamed() {
        List<Problem> problems = problemsOf("""
                - routeConfiguration:
                    id: c
                    onException:
                      - onException:
                          exception:
                            - java.lang.IllegalStateException
                            - java.lang.NoSuchThingException
                          onRedeliveryRef: nobody
                          redeliveryPolicyRef: greeter
                          handled:
                            constant: "true"
                - route:
                    routeConfigurationId: c,d
                    from:
                      uri: direct:r
                      steps:
                        - filter:
                            simple: "${bean:absent?method=x} && ${bean:greeter.greet}"
                        - to:
                            uri: http://example.invalid
                            parameters:
                              httpClientConfigurer: "#missing"
                """);

        assertThat(whats(problems)).containsExactlyInAnyOrder(
                "no class java.lang.NoSuchThingException (exception)",
                "no bean named nobody (onRedeliveryRef)",
                "redeliveryPolicyRef: bean greeter is a " + Greeter.class.getName() + ", not a "
                        + "org.apache.camel.processor.errorhandler.RedeliveryPolicy",
                "no routeConfiguration with id d",
                "no bean named absent (${bean:…})",
                "no bean named missing (URI parameter)");
    }

    @Test
    void whatTheRoutesCallOnAVariableIsCheckedOnItsClass() {
        List<Problem> problems = problemsOf("""
                - route:
                    from:
                      uri: direct:r
                      steps:
                        - script:
                            simple: "${variable.trip.at('x')}"
                        - filter:
                            simple: "${variable.trip.dryRun} && ${variable.trip?.leg.stage} == 'x' && ${variable.other.x}"
                        - script:
                            simple: "${variable.trip.at('x', '/a/${variable.trip.leg.stag}')}"
                """);

        assertThat(whats(problems)).containsExactlyInAnyOrder(
                "${variable.trip}: " + Trip.class.getName() + " has no public at with 2 argument(s)",
                "${variable.trip}.leg: " + Leg.class.getName() + " has no public property stag (getStag(), isStag() or stag())");
    }

    @Test
    void anEndpointSentToWithoutAConsumerIsFlaggedAndAConsumerWithoutACallerListed() {
        String yaml = """
                - route:
                    id: a
                    from:
                      uri: direct:a
                      steps:
                        - to: direct:b
                        - wireTap:
                            uri: seda:c?waitForTaskToComplete=Never
                        - toD: "direct:${header.x}"
                - route:
                    id: c
                    from:
                      uri: seda://c
                      steps:
                        - to: direct:nowhere
                """;
        RouteReferences check = RouteReferences.check(List.of(new RouteFile("t.camel.yaml", yaml, false)),
                RouteReferencesTest.class.getPackageName(), RESOURCES);

        assertThat(check.problems()).extracting(Problem::toString).containsExactlyInAnyOrder(
                "t.camel.yaml:6  route a: direct:b: no route consumes it (no from: direct:b)",
                "t.camel.yaml:15  route c: direct:nowhere: no route consumes it (no from: direct:nowhere)");
        assertThat(check.unusedConsumers()).containsExactly("t.camel.yaml:4  direct:a: nothing sends to it");
    }

    @Test
    void theOperationsOfAContractFirstRestBlockCallTheirDirectRoutes(@TempDir Path resources) throws IOException {
        Files.writeString(resources.resolve("api.yaml"), """
                openapi: 3.0.3
                paths:
                  /hello:
                    get:
                      operationId: hello
                """);
        String yaml = """
                - rest:
                    openApi:
                      specification: classpath:api.yaml
                - route:
                    from:
                      uri: direct:hello
                      steps:
                        - setBody:
                            constant: hi
                """;

        RouteReferences check = RouteReferences.check(List.of(new RouteFile("t.camel.yaml", yaml, true)),
                RouteReferencesTest.class.getPackageName(), resources);

        assertThat(check.problems()).isEmpty();
        assertThat(check.unusedConsumers()).isEmpty();
    }

    @Test
    void aBeanOfTheRouteFilesIsCheckedForItsClassAndProperties() {
        List<Problem> problems = problemsOf("""
                - beans:
                    - name: policy
                      type: org.apache.camel.processor.errorhandler.RedeliveryPolicy
                      properties:
                        maximumRedeliveries: 2
                        maximumRedeliverys: 2
                    - name: ghost
                      type: org.example.Ghost
                - routeConfiguration:
                    onException:
                      - onException:
                          exception:
                            - java.lang.Exception
                          redeliveryPolicyRef: policy
                """);

        assertThat(whats(problems)).containsExactlyInAnyOrder(
                "bean policy: RedeliveryPolicy has no property maximumRedeliverys (no public setMaximumRedeliverys(…))",
                "bean ghost: no class org.example.Ghost");
    }

    @Test
    void aStatementsAnswerInAHeaderIsFlagged() {
        List<Problem> problems = problemsOf("""
                - route:
                    id: r
                    from:
                      uri: direct:r
                      steps:
                        - to:
                            uri: sql:classpath:sql/a.sql
                            variableReceive: counts
                        - to:
                            uri: sql:classpath:sql/b.sql
                            parameters:
                              outputHeader: result
                """);

        assertThat(problems).extracting(Problem::toString).containsExactly(
                "t.camel.yaml:12  route r: a statement's answer in a header (outputHeader): use variableReceive");
    }

    @Test
    void argumentsAreCountedOutsideQuotesAndBrackets() {
        assertThat(RouteReferences.arguments("()")).isZero();
        assertThat(RouteReferences.arguments("(${body})")).isEqualTo(1);
        assertThat(RouteReferences.arguments("('a, b', \"c, d\", ${x(y, z)}, f(g, h))")).isEqualTo(4);
    }

    private static String report(String what, List<Problem> problems) {
        Map<String, List<Problem>> byFile = problems.stream().collect(Collectors.groupingBy(Problem::file));
        return problems.size() + " name(s) in the route files " + what + ":\n" + byFile.values().stream()
                .flatMap(List::stream).map(p -> "  " + p).collect(Collectors.joining("\n"));
    }
}
