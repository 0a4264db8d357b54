package co.soukosync.routes;

import co.soukosync.routes.JavaSources.Bean;
import co.soukosync.routes.JavaSources.JavaClass;
import co.soukosync.routes.RouteGraph.Call;
import co.soukosync.routes.RouteGraph.Element;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one HTTP call passes through, as a new engineer follows it in a source tree: from the REST block that
 * declares the call to the route that handles it, then every route it sends to ({@code direct:}/{@code seda:}: the
 * steps, the {@code doCatch}, the wire taps) and, for each route, the route configuration it names, whose clauses
 * send on too (the failure's way back is part of the call). Counted on that set of routes:
 * <ul>
 * <li>route files: those that hold one of the routes or configurations;</li>
 * <li>calls from YAML into Java: every bean, class or variable that a step names by string ({@code ref:} with its
 * {@code method:}, {@code beanType:}, {@code ${bean:…}}, {@code #name} in a URI, {@code …Ref:} to a bean of
 * ours, a method or property of a variable's object in Simple), each time it is named;</li>
 * <li>Java classes: the classes of those beans, classes and variables, the classes of ours named in the YAML
 * (exceptions, REST models), and the classes of ours that those name in their code (one step: what a reader
 * opens from the bean to understand the call);</li>
 * <li>SQL files: those the routes call ({@code sql:classpath:…}) and those the classes above read themselves;</li>
 * <li>"named by the routes themselves": the same without the step into Java (the classes the routes name, the SQL
 * files they call).</li>
 * <li>application.yaml, when the route files on the path read a {@code {{placeholder}}}.</li>
 * </ul>
 */
final class RunPath {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^}:]+)");

    final List<Element> elements = new ArrayList<>();
    final Set<String> routeFiles = new TreeSet<>();
    final List<Call> calls = new ArrayList<>();
    final Set<String> direct = new TreeSet<>();
    final Set<String> javaClasses = new TreeSet<>();
    final Set<String> sqlFiles = new TreeSet<>();
    final Set<String> sqlNamed = new TreeSet<>();
    final Set<String> placeholders = new TreeSet<>();
    final List<String> unresolved = new ArrayList<>();

    private RunPath() {
    }

    /** The path of the call {@code operation} ("PATCH /api/syncall") in the source tree at {@code root}. */
    static RunPath of(Path root, String operation, boolean failures) {
        RouteGraph graph = RouteGraph.of(root);
        JavaSources sources = JavaSources.of(root);
        RunPath path = new RunPath();
        String endpoint = graph.operations().get(operation);
        if (endpoint == null) {
            throw new IllegalArgumentException(operation + " is not a call of " + root + ": " + graph.operations().keySet());
        }
        Set<Element> seen = new LinkedHashSet<>();
        Deque<Element> next = new ArrayDeque<>();
        graph.routes().stream().filter(e -> e.kind().equals("rest") && e.sends().contains(endpoint)).forEach(next::add);
        next.add(graph.consumer(endpoint));
        while (!next.isEmpty()) {
            Element element = next.poll();
            if (element == null || !seen.add(element)) {
                continue;
            }
            if (element.configuration() != null) {
                next.add(graph.configuration(element.configuration()));
            }
            // a REST block hands on only this call; a route every endpoint its steps send to (and, counting the
            // failures' way, its doCatch and its configuration's clauses)
            List<String> sends = new ArrayList<>(element.kind().equals("rest") ? List.of(endpoint) : element.sends());
            if (failures) {
                sends.addAll(element.failureSends());
            }
            for (String sent : sends) {
                next.add(graph.consumer(sent));
            }
        }
        path.elements.addAll(seen);

        Map<String, String> variables = new LinkedHashMap<>();
        for (JavaClass java : sources.classes().values()) {
            JavaSources.variables(java).forEach(variables::putIfAbsent);
        }
        Set<JavaClass> named = new LinkedHashSet<>();
        for (Element element : seen) {
            path.routeFiles.add(Path.of(element.file()).getFileName().toString());
            if (!failures && element.kind().equals("routeConfiguration")) {
                continue; // on a run that succeeds, a configuration's clauses do nothing: only its file is read
            }
            path.sqlFiles.addAll(element.sql());
            if (failures) {
                path.sqlFiles.addAll(element.failureSql());
            }
            for (String name : element.classes()) {
                add(sources.find(name), named);
            }
            // calls into Java: not the route files' own beans (a RedeliveryPolicy of error-handling.camel.yaml)
            for (Call call : element.calls()) {
                if (call.onFailure() && !failures) {
                    continue;
                }
                JavaClass target = target(sources, variables, call);
                if (target == null && !call.kind().equals("${variable…}") && !sources.beans().containsKey(call.target())
                        && sources.find(call.target()) == null) {
                    path.unresolved.add(call.toString());
                    continue;
                }
                path.calls.add(call);
                add(target, named);
            }
        }
        for (String file : path.routeFiles) {
            Matcher placeholder = PLACEHOLDER.matcher(RouteReferences.readString(root.resolve("src/main/resources/routes").resolve(file)));
            while (placeholder.find()) {
                path.placeholders.add(placeholder.group(1));
            }
        }
        path.direct.addAll(named.stream().map(JavaClass::name).toList());
        Set<JavaClass> opened = new LinkedHashSet<>(named);
        for (JavaClass java : named) {
            opened.addAll(sources.references(java));
        }
        path.sqlNamed.addAll(path.sqlFiles);
        for (JavaClass java : opened) {
            path.javaClasses.add(java.name());
            path.sqlFiles.addAll(JavaSources.sqlFiles(java));
        }
        return path;
    }

    private static void add(JavaClass java, Set<JavaClass> named) {
        if (java != null) {
            named.add(java);
        }
    }

    private static JavaClass target(JavaSources sources, Map<String, String> variables, Call call) {
        if (call.kind().equals("${variable…}")) {
            String variable = call.target().substring("variable ".length());
            String type = variables.get(variable);
            return type == null ? null : sources.find(type);
        }
        if (call.kind().equals("beanType")) {
            return sources.find(call.target());
        }
        Bean bean = sources.beans().get(call.target());
        return bean == null ? null : sources.classOf(bean);
    }

    int files() {
        return routeFiles.size() + javaClasses.size() + sqlFiles.size() + (placeholders.isEmpty() ? 0 : 1);
    }

    String report(String name) {
        StringBuilder text = new StringBuilder();
        text.append(name).append(": ").append(files()).append(" files (").append(routeFiles.size()).append(" route files, ")
                .append(javaClasses.size()).append(" Java classes, ").append(sqlFiles.size()).append(" SQL files")
                .append(placeholders.isEmpty() ? "" : ", application.yaml").append("), ").append(calls.size())
                .append(" calls from YAML into Java\n");
        text.append("  of which named by the routes themselves: ").append(routeFiles.size() + direct.size() + sqlNamed.size()
                + (placeholders.isEmpty() ? 0 : 1)).append(" files (").append(direct.size()).append(" Java classes, ")
                .append(sqlNamed.size()).append(" SQL files)\n");
        text.append("  routes (").append(elements.size()).append("): ")
                .append(String.join(", ", elements.stream().map(Element::id).toList())).append('\n');
        text.append("  route files: ").append(String.join(", ", routeFiles)).append('\n');
        text.append("  Java classes named by the routes (").append(direct.size()).append("): ").append(String.join(", ", direct)).append('\n');
        text.append("  Java classes with those they name (").append(javaClasses.size()).append("): ")
                .append(String.join(", ", javaClasses)).append('\n');
        text.append("  SQL files: ").append(String.join(", ", sqlFiles)).append('\n');
        Map<String, Integer> byKind = new LinkedHashMap<>();
        calls.forEach(c -> byKind.merge(c.kind(), 1, Integer::sum));
        text.append("  calls by kind: ").append(byKind).append('\n');
        calls.forEach(c -> text.append("    ").append(c).append('\n'));
        if (!unresolved.isEmpty()) {
            text.append("  named, not ours (not counted): ").append(unresolved).append('\n');
        }
        return text.toString();
    }
}
