package co.soukosync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import co.soukosync.routes.JavaSources.Bean;
import co.soukosync.routes.JavaSources.JavaClass;
import co.soukosync.routes.RouteGraph.Call;
import co.soukosync.routes.RouteGraph.Element;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md's route graph and bean table are generated from the code, between markers, and this test
 * fails, with a diff, when the document says something else: a route added, renamed, moved to another file or
 * wired to another endpoint or route configuration; a bean added, renamed or moved; a class's Javadoc changed. No
 * Spring context, no Camel context: the route files and the Java sources read as text (RouteGraph, JavaSources),
 * in about a second. To bring the document up to date:
 *
 * <pre>./mvnw -q test -Dtest=ArchitectureDocTest -Ddocs.write=true</pre>
 */
class ArchitectureDocTest {

    static final Path DOCUMENT = Path.of("docs/architecture.md");
    static final String REGENERATE = "./mvnw -q test -Dtest=ArchitectureDocTest -Ddocs.write=true";
    private static final String ROUTES = "routes";
    private static final String BEANS = "beans";

    @Test
    void theRouteGraphAndTheBeanTableOfArchitectureMdAreTheCodes() throws IOException {
        RouteGraph graph = RouteGraph.of(Path.of("."));
        JavaSources sources = JavaSources.of(Path.of("."));
        String document = Files.readString(DOCUMENT, StandardCharsets.UTF_8);

        String expected = replace(replace(document, ROUTES, routes(graph)), BEANS, beans(sources, graph));

        if (Boolean.getBoolean("docs.write")) {
            if (!expected.equals(document)) {
                Files.writeString(DOCUMENT, expected, StandardCharsets.UTF_8);
                System.out.println("ArchitectureDocTest: " + DOCUMENT + " written");
            }
            return;
        }
        assertThat(document).withFailMessage(() -> DOCUMENT + " disagrees with the code between its generated markers"
                + " (- the document, + the code). Regenerate it with\n  " + REGENERATE + "\nand read the change:\n"
                + LineDiff.diff(document, expected)).isEqualTo(expected);
    }

    @Test
    void theBeansReadFromTheSourcesAreTheBeansSpringDeclares() {
        // the table is read from the sources as text: a bean that text reading missed (or made up) fails here, against
        // the compiled classes as RouteReferences scans them (every @Component class and @Bean method)
        Set<String> scanned = RouteReferences.check(List.of(), "co.soukosync", Path.of("src/main/resources")).beans()
                .values().stream().filter(RouteReferences.BeanDef::main).map(RouteReferences.BeanDef::name)
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(JavaSources.of(Path.of(".")).beans().keySet()).containsExactlyInAnyOrderElementsOf(scanned);
    }

    @Test
    void everyShippedRouteIsInTheGraph() {
        // every route id of every shipped file, as the files have them: the graph misses none
        RouteGraph graph = RouteGraph.of(Path.of("."));
        Set<String> ids = new TreeSet<>();
        for (RouteReferences.RouteFile file : RouteReferences.files(Path.of("src/main/resources/routes"))) {
            for (String line : file.text().split("\n")) {
                if (line.matches("^    id: [a-z0-9-]+$")) {
                    ids.add(line.strip().substring("id: ".length()));
                }
            }
        }

        assertThat(graph.elements()).extracting(Element::id).containsExactlyInAnyOrderElementsOf(ids);
    }

    // --- the generated sections ----------------------------------------------------------------------

    /** Per route file: its opening comment's first sentence, then its routes, what they consume and send to. */
    static String routes(RouteGraph graph) {
        StringBuilder text = new StringBuilder();
        Map<String, String> summaries = graph.fileSummaries();
        Map<String, List<Element>> byFile = new TreeMap<>();
        for (Element element : graph.elements()) {
            byFile.computeIfAbsent(Path.of(element.file()).getFileName().toString(), f -> new ArrayList<>()).add(element);
        }
        for (Map.Entry<String, List<Element>> file : byFile.entrySet()) {
            String summary = summaries.getOrDefault(file.getKey(), "");
            text.append("\n**`").append(file.getKey()).append("`**").append(summary.isEmpty() ? "" : ": " + summary)
                    .append("\n\n");
            text.append("| route | from | error handling | sends to |\n|---|---|---|---|\n");
            for (Element element : file.getValue()) {
                String id = "`" + element.id() + "`" + switch (element.kind()) {
                    case "routeConfiguration" -> " (route configuration)";
                    case "rest" -> " (REST)";
                    default -> "";
                };
                text.append("| ").append(id)
                        .append(" | ").append(element.from() == null ? "" : "`" + element.from() + "`")
                        .append(" | ").append(element.configuration() == null ? "" : "`" + element.configuration() + "`")
                        .append(" | ").append(sends(graph, element)).append(" |\n");
            }
        }
        return text.toString();
    }

    private static String sends(RouteGraph graph, Element element) {
        Set<String> targets = new LinkedHashSet<>();
        List<String> all = new ArrayList<>(element.sends());
        all.addAll(element.failureSends());
        for (int i = 0; i < all.size(); i++) {
            String endpoint = all.get(i);
            Element consumer = graph.consumer(endpoint);
            List<String> notes = new ArrayList<>();
            if (endpoint.startsWith("seda:")) {
                notes.add("seda");
            }
            if (i >= element.sends().size() && element.kind().equals("route")) {
                notes.add("on failure");
            }
            String how = notes.isEmpty() ? "" : " (" + String.join(", ", notes) + ")";
            targets.add(consumer == null ? "`" + endpoint + "` (no consumer)" : "`" + consumer.id() + "`" + how);
        }
        return String.join(", ", targets);
    }

    /** Per package: its beans, their class, what the class's Javadoc says first, the route files that name them. */
    static String beans(JavaSources sources, RouteGraph graph) {
        Map<String, Set<String>> namedIn = new TreeMap<>();
        for (Element element : graph.elements()) {
            for (Call call : element.calls()) {
                namedIn.computeIfAbsent(call.target(), b -> new TreeSet<>())
                        .add(Path.of(call.file()).getFileName().toString().replace(".camel.yaml", ""));
            }
        }
        StringBuilder text = new StringBuilder("\n| package | bean | class | what it is (its Javadoc's first sentence) | named in the routes |\n|---|---|---|---|---|\n");
        for (String pkg : JavaSources.packages(sources)) {
            String shortPkg = pkg.equals("co.soukosync") ? "" : pkg.substring("co.soukosync.".length());
            List<Bean> beans = sources.beans().values().stream().filter(b -> b.declaredBy().pkg().equals(pkg)).toList();
            Set<String> beanClasses = new TreeSet<>();
            String first = "`" + (shortPkg.isEmpty() ? "co.soukosync" : shortPkg) + "`";
            for (Bean bean : beans) {
                JavaClass type = sources.classOf(bean);
                beanClasses.add(bean.declaredBy().name());
                String nested = bean.type().contains("$") ? "." + bean.type().substring(bean.type().indexOf('$') + 1) : "";
                String declared = bean.method() == null ? "`" + bean.declaredBy().name() + nested + "`"
                        : "`" + bean.declaredBy().name() + "." + bean.method() + "()`: `" + simple(bean.type()) + "`";
                String summary = bean.method() != null && sources.find(bean.type()) == null ? ""
                        : JavaSources.summary(type);
                text.append("| ").append(first).append(" | `").append(bean.name()).append("` | ").append(declared)
                        .append(" | ").append(summary == null ? "" : summary).append(" | ")
                        .append(String.join(", ", namedIn.getOrDefault(bean.name(), Set.of()))).append(" |\n");
                first = "";
            }
            String others = sources.classes().values().stream()
                    .filter(c -> c.pkg().equals(pkg) && !beanClasses.contains(c.name()))
                    .map(c -> "`" + c.name() + "`").collect(Collectors.joining(", "));
            if (!others.isEmpty()) {
                text.append("| ").append(first).append(" | (not beans) | ").append(others).append(" | | |\n");
            }
        }
        return text.toString();
    }

    private static String simple(String type) {
        return type.substring(type.lastIndexOf('.') + 1);
    }

    // --- markers ----------------------------------------------------------------------------------------

    static String begin(String section) {
        return "<!-- generated: " + section + "; not by hand: " + REGENERATE + " -->";
    }

    static String end(String section) {
        return "<!-- end of generated: " + section + " -->";
    }

    /** The document with what stands between the section's markers replaced; the markers must be there, once. */
    static String replace(String document, String section, String generated) {
        int from = document.indexOf(begin(section));
        int to = document.indexOf(end(section));
        assertThat(from).withFailMessage("%s has no marker line\n  %s\n(and its end, %s)", DOCUMENT, begin(section), end(section))
                .isGreaterThanOrEqualTo(0);
        assertThat(to).withFailMessage("%s: no %s after %s", DOCUMENT, end(section), begin(section)).isGreaterThan(from);
        assertThat(document.indexOf(begin(section), from + 1)).withFailMessage("%s: %s twice", DOCUMENT, begin(section))
                .isLessThan(0);
        return document.substring(0, from + begin(section).length()) + "\n" + generated + "\n" + document.substring(to);
    }
}
