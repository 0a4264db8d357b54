package co.soukosync.routes;

import static co.soukosync.routes.RouteReferences.entries;
import static co.soukosync.routes.RouteReferences.get;
import static co.soukosync.routes.RouteReferences.line;
import static co.soukosync.routes.RouteReferences.readString;
import static co.soukosync.routes.RouteReferences.scalar;
import static co.soukosync.routes.RouteReferences.uri;

import co.soukosync.routes.RouteReferences.RouteFile;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The routes of a source tree as a graph, read from the text alone (the route files, the OpenAPI document, the Java
 * sources), so that it reads an old commit as well as this one: each route (and route configuration, and REST
 * block) with its file, line, {@code from}, {@code routeConfigurationId}, the {@code direct:}/{@code seda:}
 * endpoints it sends to, the calls it makes into Java by string, the SQL files and the placeholders it names.
 * {@link RouteReferences} checks those names against the compiled classes; this only collects them, for
 * docs/architecture.md ({@code ArchitectureDocTest}) and for the figures of one run's path ({@code SyncallPathTest}).
 */
final class RouteGraph {

    /** One call from YAML into Java: a bean (or a class, or a variable's object) and what is called on it. */
    record Call(String file, int line, String kind, String target, String member, boolean onFailure) {
        @Override
        public String toString() {
            return target + (member == null ? "" : "." + member) + "  (" + kind + ", " + Path.of(file).getFileName()
                    + ":" + line + ")";
        }
    }

    /** A route, a route configuration ("routeConfiguration"), or a REST block ("rest"). */
    record Element(String kind, String id, String file, int line, String from, String configuration,
            List<String> sends, List<Call> calls, Set<String> sql, Set<String> placeholders, Set<String> classes,
            List<String> failureSends, Set<String> failureSql) {
    }

    private static final Set<String> PRODUCERS = Set.of("to", "toD", "wireTap", "enrich", "pollEnrich");
    private static final Pattern SQL = Pattern.compile("^sql:(?:classpath:)?(?:/)?(sql/[^?]+\\.sql)");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^}]+)}}");
    private static final Pattern BEAN_EXPRESSION = Pattern.compile("^bean:([A-Za-z_][A-Za-z0-9_]*)(?:\\?method=([A-Za-z_][A-Za-z0-9_]*)|\\.([A-Za-z_][A-Za-z0-9_]*))?");
    private static final Pattern VARIABLE_CHAIN = Pattern.compile("^variable\\.([A-Za-z_][A-Za-z0-9_]*)\\??\\.([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern OUR_CLASS = Pattern.compile("co\\.soukosync\\.[A-Za-z0-9_.$]+");

    private final Path root;
    private final List<Element> elements = new ArrayList<>();
    private final Map<String, String> operations = new LinkedHashMap<>(); // "PATCH /api/syncall" -> "direct:syncNow"

    private RouteGraph(Path root) {
        this.root = root;
    }

    /** The shipped route files of the source tree at {@code root} (src/main/resources/routes). */
    static RouteGraph of(Path root) {
        RouteGraph graph = new RouteGraph(root);
        for (RouteFile file : RouteReferences.files(root.resolve("src/main/resources/routes"))) {
            graph.read(file);
        }
        return graph;
    }

    List<Element> elements() {
        return elements;
    }

    List<Element> routes() {
        return elements.stream().filter(e -> !e.kind().equals("routeConfiguration")).toList();
    }

    /** An HTTP call ("PATCH /api/syncall") as the endpoint its handler consumes. */
    Map<String, String> operations() {
        return operations;
    }

    /** The route (or REST block) that consumes this endpoint, if any. */
    Element consumer(String endpoint) {
        return routes().stream().filter(e -> e.from() != null && endpoint.equals(RouteReferences.endpointKey(e.from())))
                .findFirst().orElse(null);
    }

    Element configuration(String id) {
        return elements.stream().filter(e -> e.kind().equals("routeConfiguration") && id.equals(e.id())).findFirst()
                .orElse(null);
    }

    /** The first sentence of each route file's opening comment, by file name. */
    Map<String, String> fileSummaries() {
        Map<String, String> summaries = new LinkedHashMap<>();
        for (RouteFile file : RouteReferences.files(root.resolve("src/main/resources/routes"))) {
            StringBuilder comment = new StringBuilder();
            for (String line : file.text().split("\n")) {
                if (!line.startsWith("#")) {
                    break;
                }
                comment.append(line.replaceFirst("^#\\s?", "")).append(' ');
            }
            summaries.put(Path.of(file.name()).getFileName().toString(), Sentences.first(comment.toString()));
        }
        return summaries;
    }

    // --- reading -----------------------------------------------------------------------------------

    private void read(RouteFile file) {
        Node top = new Yaml(new LoaderOptions()).compose(new StringReader(file.text()));
        if (!(top instanceof SequenceNode list)) {
            return;
        }
        for (Node item : list.getValue()) {
            for (NodeTuple entry : entries(item)) {
                String kind = scalar(entry.getKeyNode());
                Node body = entry.getValueNode();
                if ("route".equals(kind) || "routeConfiguration".equals(kind) || "rest".equals(kind)) {
                    element(file, kind, body);
                }
            }
        }
    }

    private void element(RouteFile file, String kind, Node body) {
        Node from = get(body, "from");
        String fromUri = from == null ? null : uri(from);
        List<String> sends = new ArrayList<>();
        List<String> failureSends = new ArrayList<>();
        List<Call> calls = new ArrayList<>();
        Set<String> sql = new LinkedHashSet<>();
        Set<String> failureSql = new LinkedHashSet<>();
        Set<String> placeholders = new LinkedHashSet<>();
        Set<String> classes = new LinkedHashSet<>();
        String id = scalar(get(body, "id"));
        if ("rest".equals(kind)) {
            Node openApi = get(body, "openApi");
            if (openApi != null) {
                String spec = scalar(get(openApi, "specification"));
                fromUri = "rest:" + spec.replaceFirst("\\?.*$", "");
                openApiOperations(spec, sends);
            } else {
                restVerbs(body, sends);
            }
        }
        // a route configuration is all failure handling; in a route, what its doCatch does
        new Walk(file, sends, failureSends, calls, sql, failureSql, placeholders, classes)
                .walk(body, null, "routeConfiguration".equals(kind));
        elements.add(new Element(kind, id, file.name(), line(body), fromUri == null ? null : fromUri.replaceFirst("\\?.*$", ""),
                scalar(get(body, "routeConfigurationId")), sends, calls, sql, placeholders, classes, failureSends,
                failureSql));
    }

    /** rest: with openApi: every operation of the document goes to direct:operationId. */
    private void openApiOperations(String spec, List<String> sends) {
        Path document = root.resolve("src/main/resources").resolve(spec.replaceFirst("^classpath:", "")
                .replaceFirst("^/", "").replaceFirst("\\?.*$", ""));
        Object tree = new Yaml().load(readString(document));
        if (tree instanceof Map<?, ?> doc && doc.get("paths") instanceof Map<?, ?> paths) {
            String base = "";
            if (doc.get("servers") instanceof List<?> servers && !servers.isEmpty()
                    && servers.get(0) instanceof Map<?, ?> server && server.get("url") instanceof String url) {
                base = url.replaceFirst("^https?://[^/]+", "").replaceFirst("/$", "");
            }
            for (Map.Entry<?, ?> path : paths.entrySet()) {
                if (path.getValue() instanceof Map<?, ?> verbs) {
                    for (Map.Entry<?, ?> verb : verbs.entrySet()) {
                        if (verb.getValue() instanceof Map<?, ?> op && op.get("operationId") instanceof String opId) {
                            sends.add("direct:" + opId);
                            operations.put(verb.getKey().toString().toUpperCase() + " " + base + path.getKey(), "direct:" + opId);
                        }
                    }
                }
            }
        }
    }

    /** rest: with verbs (get:, patch:, …), each with its path and to: (the REST DSL before the contract). */
    private void restVerbs(Node rest, List<String> sends) {
        String base = scalar(get(rest, "path"));
        for (NodeTuple entry : entries(rest)) {
            String verb = scalar(entry.getKeyNode());
            if (verb == null || !Set.of("get", "put", "post", "patch", "delete", "head").contains(verb)
                    || !(entry.getValueNode() instanceof SequenceNode list)) {
                continue;
            }
            for (Node op : list.getValue()) {
                String to = uri(get(op, "to"));
                if (to != null) {
                    String path = scalar(get(op, "path"));
                    operations.put(verb.toUpperCase() + " " + (base == null ? "" : base) + (path == null ? "" : path),
                            RouteReferences.endpointKey(to));
                }
            }
        }
    }

    /** One element's walk: what it sends to, calls, names; apart, what it does on a failure (doCatch, clauses). */
    private record Walk(RouteFile file, List<String> sends, List<String> failureSends, List<Call> calls,
            Set<String> sql, Set<String> failureSql, Set<String> placeholders, Set<String> classes) {

        void walk(Node node, String key, boolean failure) {
            if (node instanceof ScalarNode scalar) {
                String text = scalar.getValue();
                Matcher p = PLACEHOLDER.matcher(text);
                while (p.find()) {
                    placeholders.add(p.group(1).replaceFirst(":.*$", ""));
                }
                expressions(file, text, line(scalar), calls, failure);
                Matcher c = OUR_CLASS.matcher(text);
                while (c.find()) {
                    classes.add(c.group());
                }
                return;
            }
            if (node instanceof SequenceNode sequence) {
                for (Node item : sequence.getValue()) {
                    walk(item, key, failure);
                }
                return;
            }
            if (!(node instanceof MappingNode)) {
                return;
            }
            String ref = scalar(get(node, "ref"));
            String beanType = scalar(get(node, "beanType"));
            String method = scalar(get(node, "method"));
            if (ref != null) {
                calls.add(new Call(file.name(), line(get(node, "ref")), "ref", ref, name(method), failure));
            } else if (beanType != null) {
                calls.add(new Call(file.name(), line(get(node, "beanType")), "beanType", beanType, name(method), failure));
            }
            for (NodeTuple entry : entries(node)) {
                String name = scalar(entry.getKeyNode());
                Node value = entry.getValueNode();
                if (name == null) {
                    continue;
                }
                boolean onFailure = failure || "doCatch".equals(name) || "onException".equals(name);
                if (PRODUCERS.contains(name) || "from".equals(name) && !"from".equals(key)) {
                    String uri = uri(value);
                    if (uri != null) {
                        Matcher m = SQL.matcher(uri);
                        if (m.find()) {
                            (onFailure ? failureSql : sql).add(m.group(1));
                        }
                        String endpoint = RouteReferences.endpointKey(uri);
                        if (PRODUCERS.contains(name) && !uri.contains("${")
                                && (endpoint.startsWith("direct:") || endpoint.startsWith("seda:"))) {
                            (onFailure ? failureSends : sends).add(endpoint);
                        }
                    }
                }
                if (name.endsWith("Ref") && !name.equals("redeliveryPolicyRef") && scalar(value) != null) {
                    calls.add(new Call(file.name(), line(value), name, scalar(value), null, onFailure));
                }
                if ("parameters".equals(name)) {
                    for (NodeTuple parameter : entries(value)) {
                        String v = scalar(parameter.getValueNode());
                        if (v != null && v.startsWith("#") && !v.startsWith("#class:")) {
                            calls.add(new Call(file.name(), line(parameter.getValueNode()), "#bean in a URI",
                                    v.replaceFirst("^#(bean:)?", ""), null, onFailure));
                        }
                    }
                }
                walk(value, name, onFailure);
            }
        }
    }

    private static String name(String method) {
        return method == null ? null : method.replaceFirst("\\(.*$", "").strip();
    }

    /** ${bean:x?method=m}, ${bean:x.m}, and what Simple calls on a variable's object (${variable.run.at('x')}). */
    private static void expressions(RouteFile file, String text, int line, List<Call> calls, boolean failure) {
        for (int at = text.indexOf("${"); at >= 0; at = text.indexOf("${", at + 2)) {
            String inside = text.substring(at + 2);
            Matcher bean = BEAN_EXPRESSION.matcher(inside);
            Matcher variable = VARIABLE_CHAIN.matcher(inside);
            if (bean.find()) {
                String member = bean.group(2) != null ? bean.group(2) : bean.group(3);
                calls.add(new Call(file.name(), line, "${bean:…}", bean.group(1), member, failure));
            } else if (variable.find()) {
                calls.add(new Call(file.name(), line, "${variable…}", "variable " + variable.group(1), variable.group(2), failure));
            }
        }
    }

    /** Every .java file under a folder. */
    static List<Path> javaFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
