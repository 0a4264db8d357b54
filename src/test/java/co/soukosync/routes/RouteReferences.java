package co.soukosync.routes;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.Body;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeException;
import org.apache.camel.ExchangeProperties;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Headers;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.TypeConverter;
import org.apache.camel.Variable;
import org.apache.camel.Variables;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.apache.camel.spi.Registry;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.SimpleBeanDefinitionRegistry;
import org.springframework.context.annotation.AnnotationBeanNameGenerator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * What the route files name in Java, resolved the way a compiler would, without starting Spring or Camel: the beans
 * (scanned from the compiled classes of co.soukosync: {@code @Component} classes and {@code @Bean} methods, plus the
 * route files' own {@code beans:}), their methods with the number of arguments a call gives, the properties and
 * methods called on a run's variable in Simple ({@code ${variable.run.calling('x', 'y')}}), the classes named
 * (exceptions, bean types), the route configurations, and every {@code direct:}/{@code seda:} endpoint sent to
 * against the routes that consume it.
 *
 * <p>Route files are read as YAML (SnakeYAML's node tree, for line numbers) and walked whatever their shape: a
 * {@code ref}/{@code beanType} with a {@code method} anywhere, a key ending in {@code Ref}, a URI parameter
 * {@code #name}, every {@code ${…}} in every string.
 */
final class RouteReferences {

    /** A route file, and whether it ships (main) or serves tests only. */
    record RouteFile(String name, String text, boolean main) {
    }

    /** One thing the routes name that does not resolve, where it is named. */
    record Problem(String file, int line, String what) {
        @Override
        public String toString() {
            return file + ":" + line + "  " + what;
        }
    }

    /** A bean by name: its class, and whether it is declared by shipped code (or a route file). */
    record BeanDef(String name, Class<?> type, boolean main, String declaredBy) {
    }

    private static final Set<String> PRODUCERS = Set.of("to", "toD", "wireTap", "enrich", "pollEnrich");
    private static final Set<String> QUEUES = Set.of("direct", "seda");
    private static final Set<String> CLASS_KEYS = Set.of("beanType", "responseModel", "outType", "inType", "exceptionType");
    private static final Set<Class<?>> BOUND_TYPES = Set.of(Exchange.class, Message.class, CamelContext.class,
            TypeConverter.class, Registry.class);
    private static final List<Class<? extends java.lang.annotation.Annotation>> BINDINGS = List.of(Body.class,
            Header.class, Headers.class, Variable.class, Variables.class, ExchangeProperty.class,
            ExchangeProperties.class, ExchangeException.class);
    private static final Pattern RUN_CHAIN = Pattern.compile("^variable\\.([A-Za-z_][A-Za-z0-9_]*)(.*)$", Pattern.DOTALL);
    private static final Pattern JAVA_ENDPOINT = Pattern.compile("\"((?:direct|seda):[^\"?]+)");

    private final Map<String, BeanDef> beans = new TreeMap<>();
    private final Map<String, Class<?>> mainVariables = new TreeMap<>();
    private final Map<String, Class<?>> testVariables = new TreeMap<>();
    private final Set<String> routeConfigurations = new LinkedHashSet<>();
    private final Map<String, List<Problem>> consumers = new TreeMap<>();
    private final Map<String, List<Problem>> producers = new TreeMap<>();
    private final Set<String> producedByMain = new LinkedHashSet<>();
    private final Set<String> calledFromJava = new LinkedHashSet<>();
    private final List<Problem> problems = new ArrayList<>();
    private final Set<String> mainFiles = new LinkedHashSet<>();
    private final List<String> unusedConsumers = new ArrayList<>();
    private final Map<String, Integer> checked = new TreeMap<>();
    private final Path resources;

    private RouteReferences(Path resources) {
        this.resources = resources;
    }

    // --- entry points ------------------------------------------------------------------------

    /** The route files under these folders (*.camel.yaml), the first ones shipped, the others for tests. */
    static List<RouteFile> files(Path mainRoutes, Path... testRoutes) {
        List<RouteFile> files = new ArrayList<>(read(mainRoutes, true));
        for (Path folder : testRoutes) {
            files.addAll(read(folder, false));
        }
        return files;
    }

    /**
     * Checks route files against the beans of the compiled classes under {@code basePackage} (those under
     * {@code target/classes} count as shipped, the others as test code), with {@code javaSources} searched for
     * endpoints that test code sends to, and {@code resources} for an OpenAPI document that a REST block loads.
     */
    static RouteReferences check(List<RouteFile> files, String basePackage, Path resources, Path... javaSources) {
        RouteReferences check = new RouteReferences(resources);
        check.scanBeans(basePackage);
        check.scanJavaEndpoints(javaSources);
        List<Node> roots = new ArrayList<>();
        for (RouteFile file : files) {
            if (file.main()) {
                check.mainFiles.add(file.name());
            }
            roots.add(check.parse(file));
        }
        // declarations first (beans, route configurations, consumers), then every reference against them
        for (int i = 0; i < files.size(); i++) {
            check.declare(files.get(i), roots.get(i));
        }
        for (int i = 0; i < files.size(); i++) {
            if (roots.get(i) != null) {
                check.walk(files.get(i), roots.get(i), null, null);
            }
        }
        check.endpoints(files);
        return check;
    }

    List<Problem> problems() {
        return problems;
    }

    /** Consumers (direct:/seda:) that no route and no test sends to: reported, not failed (see the test). */
    List<String> unusedConsumers() {
        return unusedConsumers;
    }

    /** How many references of each kind were resolved (or found unresolved). */
    Map<String, Integer> checked() {
        return checked;
    }

    int total() {
        return checked.values().stream().mapToInt(Integer::intValue).sum();
    }

    Map<String, BeanDef> beans() {
        return beans;
    }

    // --- reading -------------------------------------------------------------------------------

    private static List<RouteFile> read(Path folder, boolean main) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> listing = Files.list(folder)) {
            return listing.filter(f -> f.getFileName().toString().endsWith(".camel.yaml")).sorted()
                    .map(f -> new RouteFile(folder.resolve(f.getFileName()).toString(), readString(f), main)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String readString(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Node parse(RouteFile file) {
        try {
            return new Yaml(new LoaderOptions()).compose(new StringReader(file.text()));
        } catch (RuntimeException e) {
            problems.add(new Problem(file.name(), 0, "not YAML: " + e.getMessage()));
            return null;
        }
    }

    // --- the beans, from the compiled classes ----------------------------------------------------

    private void scanBeans(String basePackage) {
        AnnotationTypeFilter component = new AnnotationTypeFilter(Component.class);
        // every @Component class, whatever its @Conditional says: which upstream or database is configured is no
        // matter here, every declaration of a name is
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false) {
            @Override
            protected boolean isCandidateComponent(MetadataReader reader) throws IOException {
                return component.match(reader, getMetadataReaderFactory());
            }
        };
        SimpleBeanDefinitionRegistry registry = new SimpleBeanDefinitionRegistry();
        for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
            Class<?> type = load(candidate.getBeanClassName());
            if (type == null) {
                problems.add(new Problem(candidate.getBeanClassName(), 0, "a @Component class that cannot be loaded"));
                continue;
            }
            boolean main = shipped(type);
            String name = AnnotationBeanNameGenerator.INSTANCE.generateBeanName(candidate, registry);
            addBean(new BeanDef(name, type, main, type.getName()));
            for (Method method : type.getDeclaredMethods()) {
                Bean bean = AnnotatedElementUtils.findMergedAnnotation(method, Bean.class);
                if (bean != null) {
                    String[] names = bean.name().length > 0 ? bean.name() : new String[] {method.getName()};
                    for (String beanName : names) {
                        addBean(new BeanDef(beanName, method.getReturnType(), main, type.getName() + "." + method.getName() + "()"));
                    }
                }
            }
            collectVariables(type, main ? mainVariables : testVariables);
        }
    }

    private void addBean(BeanDef bean) {
        BeanDef known = beans.get(bean.name());
        // one name, several conditional declarations (UpstreamConfig): the same type, or a common one
        if (known == null || !known.main() && bean.main()) {
            beans.put(bean.name(), bean);
        }
    }

    /** The type of each exchange variable that a bean method takes (@Variable("run") SyncRun run). */
    private static void collectVariables(Class<?> type, Map<String, Class<?>> variables) {
        for (Method method : type.getMethods()) {
            for (Parameter parameter : method.getParameters()) {
                Variable variable = parameter.getAnnotation(Variable.class);
                if (variable != null && !variable.value().isEmpty()) {
                    Class<?> known = variables.putIfAbsent(variable.value(), parameter.getType());
                    if (known == null || known.equals(parameter.getType()) || parameter.getType().isAssignableFrom(known)) {
                        continue;
                    }
                    // one bean takes the variable as a supertype (UpstreamRun) of what another takes (SyncRun):
                    // it holds the most specific; two unrelated types: no chain on it is checked
                    variables.put(variable.value(), known.isAssignableFrom(parameter.getType()) ? parameter.getType() : Object.class);
                }
            }
        }
    }

    private static boolean shipped(Class<?> type) {
        try {
            Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.endsWith(Path.of("target", "classes"));
        } catch (URISyntaxException | RuntimeException e) {
            return false;
        }
    }

    private void scanJavaEndpoints(Path... sources) {
        for (Path root : sources) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                    Matcher m = JAVA_ENDPOINT.matcher(readString(f));
                    while (m.find()) {
                        calledFromJava.add(endpointKey(m.group(1)));
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, RouteReferences.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    // --- declarations -----------------------------------------------------------------------

    private void declare(RouteFile file, Node root) {
        if (!(root instanceof SequenceNode top)) {
            if (root != null) {
                problems.add(new Problem(file.name(), line(root), "a route file is a YAML list"));
            }
            return;
        }
        for (Node item : top.getValue()) {
            for (NodeTuple entry : entries(item)) {
                String kind = scalar(entry.getKeyNode());
                Node value = entry.getValueNode();
                if ("beans".equals(kind) && value instanceof SequenceNode list) {
                    for (Node bean : list.getValue()) {
                        declareBean(file, bean);
                    }
                } else if ("routeConfiguration".equals(kind)) {
                    String id = scalar(get(value, "id"));
                    if (id != null) {
                        routeConfigurations.add(id);
                    }
                }
            }
        }
        collectConsumers(file, root);
    }

    private void declareBean(RouteFile file, Node bean) {
        String name = scalar(get(bean, "name"));
        String typeName = scalar(get(bean, "type"));
        if (name == null || typeName == null) {
            problems.add(new Problem(file.name(), line(bean), "a bean of beans: needs a name and a type"));
            return;
        }
        count("beans: type");
        Class<?> type = load(typeName.replaceFirst("^#class:", ""));
        if (type == null) {
            problems.add(new Problem(file.name(), line(get(bean, "type")), "bean " + name + ": no class " + typeName));
            return;
        }
        addBean(new BeanDef(name, type, file.main(), file.name()));
        for (NodeTuple property : entries(get(bean, "properties"))) {
            String key = scalar(property.getKeyNode());
            count("beans: property");
            if (key != null && setter(type, key) == null) {
                problems.add(new Problem(file.name(), line(property.getKeyNode()),
                        "bean " + name + ": " + type.getSimpleName() + " has no property " + key + " (no public set"
                                + capitalize(key) + "(…))"));
            }
        }
    }

    private void collectConsumers(RouteFile file, Node node) {
        for (NodeTuple entry : entries(node)) {
            if ("from".equals(scalar(entry.getKeyNode()))) {
                String uri = uri(entry.getValueNode());
                String key = uri == null ? null : endpointKey(uri);
                if (key != null && QUEUES.contains(scheme(key))) {
                    consumers.computeIfAbsent(key, k -> new ArrayList<>())
                            .add(new Problem(file.name(), line(entry.getValueNode()), key));
                }
            }
        }
        for (Node child : children(node)) {
            collectConsumers(file, child);
        }
    }

    // --- the walk -------------------------------------------------------------------------------

    private void walk(RouteFile file, Node node, String key, String routeId) {
        if (node instanceof ScalarNode scalar) {
            expressions(file, scalar.getValue(), line(scalar));
            return;
        }
        if (node instanceof SequenceNode sequence) {
            if ("exception".equals(key)) {
                for (Node item : sequence.getValue()) {
                    className(file, item, "exception");
                }
            }
            for (Node item : sequence.getValue()) {
                walk(file, item, null, routeId);
            }
            return;
        }
        if (!(node instanceof MappingNode)) {
            return;
        }
        if ("route".equals(key) && scalar(get(node, "id")) != null) {
            routeId = scalar(get(node, "id"));
        }
        String ref = scalar(get(node, "ref"));
        String beanType = scalar(get(node, "beanType"));
        String method = scalar(get(node, "method"));
        if (ref != null) {
            BeanDef bean = bean(file, get(node, "ref"), ref, "ref");
            if (bean != null && method != null) {
                method(file, get(node, "method"), bean.type(), ref, method, false);
            }
        } else if (beanType != null && method != null) {
            Class<?> type = load(beanType);
            if (type != null) {
                method(file, get(node, "method"), type, beanType, method, true);
            }
        }
        if (get(node, "openApi") != null && "rest".equals(key)) {
            openApi(file, get(node, "openApi"));
        }
        for (NodeTuple entry : entries(node)) {
            String name = scalar(entry.getKeyNode());
            Node value = entry.getValueNode();
            if (name == null) {
                continue;
            }
            if (name.endsWith("Ref") && scalar(value) != null) {
                namedRef(file, value, name, scalar(value));
            } else if ("routeConfigurationId".equals(name) && scalar(value) != null) {
                for (String id : scalar(value).split(",")) {
                    count("routeConfigurationId");
                    if (!routeConfigurations.contains(id.strip())) {
                        problems.add(new Problem(file.name(), line(value), where(routeId)
                                + "no routeConfiguration with id " + id.strip()));
                    }
                }
            } else if (CLASS_KEYS.contains(name) && scalar(value) != null) {
                className(file, value, name);
            } else if ("parameters".equals(name)) {
                if (get(value, "outputHeader") != null) {
                    // the run's state is the run object and variables: a header travels with every call
                    problems.add(new Problem(file.name(), line(get(value, "outputHeader")), where(routeId)
                            + "a statement's answer in a header (outputHeader): use variableReceive"));
                }
                for (NodeTuple parameter : entries(value)) {
                    String v = scalar(parameter.getValueNode());
                    if (v != null && v.startsWith("#") && !v.startsWith("#class:")) {
                        bean(file, parameter.getValueNode(), v.replaceFirst("^#(bean:)?", ""), "URI parameter");
                    }
                }
            }
            if (PRODUCERS.contains(name)) {
                produce(file, value, routeId);
            }
            walk(file, value, name, routeId);
        }
    }

    private void produce(RouteFile file, Node value, String routeId) {
        String uri = uri(value);
        if (uri == null || uri.contains("${")) {
            return;
        }
        for (Matcher m = Pattern.compile("[?&][^=&]+=#(?:bean:)?([A-Za-z_][A-Za-z0-9_]*)").matcher(uri); m.find(); ) {
            bean(file, value, m.group(1), "URI parameter");
        }
        String key = endpointKey(uri);
        if (QUEUES.contains(scheme(key))) {
            count("endpoint sent to");
            producers.computeIfAbsent(key, k -> new ArrayList<>()).add(new Problem(file.name(), line(value), where(routeId) + key));
            if (file.main()) {
                producedByMain.add(key);
            }
        }
    }

    /** The operations of a contract-first REST block: each goes to direct:operationId. */
    private void openApi(RouteFile file, Node openApi) {
        String spec = scalar(get(openApi, "specification"));
        if (spec == null) {
            return;
        }
        Path document = resources.resolve(spec.replaceFirst("^classpath:", "").replaceFirst("^/", "").replaceFirst("\\?.*$", ""));
        if (!Files.isRegularFile(document)) {
            problems.add(new Problem(file.name(), line(openApi), "the OpenAPI document " + spec + " is not in " + resources));
            return;
        }
        Object tree = new Yaml().load(readString(document));
        if (tree instanceof Map<?, ?> root && root.get("paths") instanceof Map<?, ?> paths) {
            for (Object path : paths.values()) {
                if (path instanceof Map<?, ?> operations) {
                    for (Object operation : operations.values()) {
                        if (operation instanceof Map<?, ?> op && op.get("operationId") instanceof String id) {
                            count("endpoint sent to");
                            producers.computeIfAbsent("direct:" + id, k -> new ArrayList<>())
                                    .add(new Problem(file.name(), line(openApi), "operation " + id + " of " + spec));
                            if (file.main()) {
                                producedByMain.add("direct:" + id);
                            }
                        }
                    }
                }
            }
        }
    }

    private void endpoints(List<RouteFile> files) {
        for (Map.Entry<String, List<Problem>> sent : producers.entrySet()) {
            if (!consumers.containsKey(sent.getKey())) {
                for (Problem at : sent.getValue()) {
                    problems.add(new Problem(at.file(), at.line(), at.what() + ": no route consumes it (no from: "
                            + sent.getKey() + ")"));
                }
            }
        }
        for (Map.Entry<String, List<Problem>> consumed : consumers.entrySet()) {
            count("endpoint consumed");
            if (consumed.getValue().size() > 1) {
                Problem second = consumed.getValue().get(1);
                problems.add(new Problem(second.file(), second.line(), consumed.getKey() + " has "
                        + consumed.getValue().size() + " consumers"));
            }
            boolean shipped = consumed.getValue().stream().anyMatch(at -> mainFiles.contains(at.file()));
            boolean called = shipped ? producedByMain.contains(consumed.getKey())
                    : producers.containsKey(consumed.getKey()) || calledFromJava.contains(consumed.getKey());
            if (!called) {
                Problem at = consumed.getValue().get(0);
                unusedConsumers.add(at.toString() + ": nothing sends to it");
            }
        }
    }

    // --- one reference ---------------------------------------------------------------------------

    private BeanDef bean(RouteFile file, Node at, String name, String kind) {
        count("bean: " + kind);
        BeanDef bean = beans.get(name);
        if (bean == null) {
            problems.add(new Problem(file.name(), line(at), "no bean named " + name + " (" + kind + ")"));
            return null;
        }
        if (file.main() && !bean.main()) {
            problems.add(new Problem(file.name(), line(at), "bean " + name + " is declared by test code only ("
                    + bean.declaredBy() + ")"));
        }
        if (bean.type() == null) {
            problems.add(new Problem(file.name(), line(at), "bean " + name + ": its class cannot be loaded"));
            return null;
        }
        return bean;
    }

    private void namedRef(RouteFile file, Node at, String key, String name) {
        BeanDef bean = bean(file, at, name, key);
        if (bean == null) {
            return;
        }
        Class<?> wanted = switch (key) {
            case "redeliveryPolicyRef" -> RedeliveryPolicy.class;
            case "onRedeliveryRef", "onExceptionOccurredRef", "onPrepareFailureRef" -> Processor.class;
            default -> Object.class;
        };
        if (!wanted.isAssignableFrom(bean.type())) {
            problems.add(new Problem(file.name(), line(at), key + ": bean " + name + " is a " + bean.type().getName()
                    + ", not a " + wanted.getName()));
        }
    }

    private void className(RouteFile file, Node at, String kind) {
        String name = scalar(at);
        if (name == null) {
            return;
        }
        count("class: " + kind);
        if (load(name.replaceFirst("^#class:", "")) == null) {
            problems.add(new Problem(file.name(), line(at), "no class " + name + " (" + kind + ")"));
        }
    }

    /**
     * A method named by a route: {@code name} (Camel binds the parameters: each must be annotated or one the body)
     * or {@code name(a, b)} (exactly that many parameters).
     */
    private void method(RouteFile file, Node at, Class<?> type, String bean, String call, boolean typeOnly) {
        count("method");
        String name = call.contains("(") ? call.substring(0, call.indexOf('(')).strip() : call.strip();
        Integer arity = call.contains("(") ? arguments(call.substring(call.indexOf('('))) : null;
        List<Method> named = Arrays.stream(type.getMethods()).filter(m -> m.getName().equals(name)).toList();
        if (named.isEmpty()) {
            problems.add(new Problem(file.name(), line(at), bean + " (" + type.getName() + ") has no public method " + name));
            return;
        }
        List<Method> fitting = named.stream()
                .filter(m -> arity == null ? bindable(m) : m.getParameterCount() == arity)
                .filter(m -> !typeOnly || Modifier.isStatic(m.getModifiers()) || hasNoArgConstructor(type))
                .toList();
        if (fitting.isEmpty()) {
            problems.add(new Problem(file.name(), line(at), bean + "." + call + ": " + (arity == null
                    ? "Camel cannot bind the parameters of " + signatures(named) + " (each must be annotated @Body, "
                            + "@Header, @Variable, @ExchangeProperty… or be the one body parameter)"
                    : "no public " + name + " with " + arity + " parameter(s), only " + signatures(named))));
        }
    }

    private static boolean bindable(Method method) {
        int body = 0;
        for (Parameter parameter : method.getParameters()) {
            boolean annotated = BINDINGS.stream().anyMatch(parameter::isAnnotationPresent);
            if (!annotated && BOUND_TYPES.stream().noneMatch(t -> t.isAssignableFrom(parameter.getType()))) {
                body++;
            }
        }
        return body <= 1;
    }

    private static boolean hasNoArgConstructor(Class<?> type) {
        return Arrays.stream(type.getConstructors()).anyMatch(c -> c.getParameterCount() == 0);
    }

    private static String signatures(List<Method> methods) {
        return methods.stream().map(m -> m.getName() + "(" + String.join(", ",
                Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).toList()) + ")").distinct().toList().toString();
    }

    // --- Simple expressions -----------------------------------------------------------------------

    /** Every ${…} in a string, nested ones too. */
    private void expressions(RouteFile file, String text, int line) {
        for (int at = text.indexOf("${"); at >= 0; at = text.indexOf("${", at + 2)) {
            int end = closing(text, at + 1);
            if (end < 0) {
                problems.add(new Problem(file.name(), line, "an unclosed ${ in: " + text));
                return;
            }
            String inside = text.substring(at + 2, end).strip();
            if (inside.startsWith("bean:")) {
                beanExpression(file, inside.substring("bean:".length()), line);
            } else {
                Matcher chain = RUN_CHAIN.matcher(inside);
                Class<?> type = chain.matches() ? variableType(file, chain.group(1)) : null;
                if (type != null && type != Object.class) {
                    chain(file, line, type, "${variable." + chain.group(1) + "}", chain.group(2), false);
                }
            }
        }
    }

    /** ${bean:name}, ${bean:name?method=m}, ${bean:name?method=m(a)}, ${bean:name.m}, ${bean:name.property}. */
    private void beanExpression(RouteFile file, String spec, int line) {
        Matcher m = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)(?:\\?method=(.+)|\\.(.+))?$", Pattern.DOTALL).matcher(spec.strip());
        if (spec.startsWith("type:")) {
            return;
        }
        if (!m.matches()) {
            problems.add(new Problem(file.name(), line, "a ${bean:…} that this check cannot read: " + spec));
            return;
        }
        BeanDef bean = beanAt(file, line, m.group(1));
        if (bean == null) {
            return;
        }
        if (m.group(2) != null) {
            methodAt(file, line, bean.type(), bean.name(), m.group(2));
        } else if (m.group(3) != null) {
            chain(file, line, bean.type(), "${bean:" + bean.name() + "}", "." + m.group(3), true);
        }
    }

    private BeanDef beanAt(RouteFile file, int line, String name) {
        count("bean: ${bean:…}");
        BeanDef bean = beans.get(name);
        if (bean == null || bean.type() == null) {
            problems.add(new Problem(file.name(), line, "no bean named " + name + " (${bean:…})"));
            return null;
        }
        if (file.main() && !bean.main()) {
            problems.add(new Problem(file.name(), line, "bean " + name + " is declared by test code only"));
        }
        return bean;
    }

    private void methodAt(RouteFile file, int line, Class<?> type, String bean, String call) {
        int before = problems.size();
        method(file, null, type, bean, call, false);
        // method() reports line 0 for a node it was not given: put the expression's line on it
        for (int i = before; i < problems.size(); i++) {
            Problem p = problems.get(i);
            problems.set(i, new Problem(p.file(), line, p.what()));
        }
    }

    /** The type of a variable, as the beans' @Variable parameters declare it (shipped beans for shipped files). */
    private Class<?> variableType(RouteFile file, String variable) {
        Class<?> type = mainVariables.get(variable);
        return type != null || file.main() ? type : testVariables.get(variable);
    }

    /**
     * .a.b(x)?.c… on a type: each step a public method with that many arguments, or a getter; the first step of
     * ${bean:name.m} may also be a method whose parameters Camel binds (as ?method=m).
     */
    private void chain(RouteFile file, int line, Class<?> type, String start, String rest, boolean bound) {
        boolean first = true;
        String path = start;
        int at = 0;
        while (at < rest.length()) {
            if (rest.startsWith("?.", at)) {
                at += 2;
            } else if (rest.charAt(at) == '.') {
                at += 1;
            } else {
                return; // an operator or something else after the chain: nothing more to resolve
            }
            int nameEnd = at;
            while (nameEnd < rest.length() && Character.isJavaIdentifierPart(rest.charAt(nameEnd))) {
                nameEnd++;
            }
            String name = rest.substring(at, nameEnd);
            if (name.isEmpty()) {
                return;
            }
            Integer arity = null;
            at = nameEnd;
            if (at < rest.length() && rest.charAt(at) == '(') {
                int close = closingParen(rest, at);
                if (close < 0) {
                    problems.add(new Problem(file.name(), line, "an unclosed ( after " + path + "." + name));
                    return;
                }
                arity = arguments(rest.substring(at, close + 1));
                at = close + 1;
            }
            count(start.startsWith("${variable") ? "run: method or property" : "bean: ${bean:…} method or property");
            Method step = arity != null ? withArity(type, name, arity) : property(type, name);
            if (step == null && arity == null && bound && first) {
                Class<?> on = type;
                step = Arrays.stream(on.getMethods()).filter(m -> m.getName().equals(name) && bindable(m)).findFirst()
                        .orElse(null);
            }
            first = false;
            if (step == null) {
                problems.add(new Problem(file.name(), line, path + ": " + type.getName() + " has no public "
                        + (arity != null ? name + " with " + arity + " argument(s)" : "property " + name
                                + " (get" + capitalize(name) + "(), is" + capitalize(name) + "() or " + name + "())")));
                return;
            }
            path = path + "." + name + (arity != null ? "(…)" : "");
            type = step.getReturnType();
            if (Map.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type) || type == Object.class
                    || type == void.class) {
                return; // a key of a map, or nothing typed: no further step is resolved
            }
        }
    }

    private static Method withArity(Class<?> type, String name, int arity) {
        return Arrays.stream(type.getMethods()).filter(m -> m.getName().equals(name) && m.getParameterCount() == arity)
                .findFirst().orElse(null);
    }

    private static Method property(Class<?> type, String name) {
        for (String candidate : List.of("get" + capitalize(name), "is" + capitalize(name), name)) {
            Method m = withArity(type, candidate, 0);
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    private static Method setter(Class<?> type, String property) {
        return Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals("set" + capitalize(property)) && m.getParameterCount() == 1)
                .findFirst().orElse(null);
    }

    /** The number of arguments of "(a, 'b, c', ${x(y, z)})": top-level commas, outside quotes and brackets. */
    static int arguments(String parenthesized) {
        String inner = parenthesized.strip();
        inner = inner.substring(1, inner.lastIndexOf(')')).strip();
        if (inner.isEmpty()) {
            return 0;
        }
        int count = 1;
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                count++;
            }
        }
        return count;
    }

    /** The index of the } that closes the { at {@code open}, or -1. */
    private static int closing(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static int closingParen(String text, int open) {
        int depth = 0;
        char quote = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    // --- YAML nodes ---------------------------------------------------------------------------------

    static List<NodeTuple> entries(Node node) {
        return node instanceof MappingNode map ? map.getValue() : List.of();
    }

    private static List<Node> children(Node node) {
        if (node instanceof MappingNode map) {
            return map.getValue().stream().map(NodeTuple::getValueNode).toList();
        }
        if (node instanceof SequenceNode sequence) {
            return sequence.getValue();
        }
        return List.of();
    }

    static Node get(Node node, String key) {
        for (NodeTuple entry : entries(node)) {
            if (key.equals(scalar(entry.getKeyNode()))) {
                return entry.getValueNode();
            }
        }
        return null;
    }

    static String scalar(Node node) {
        return node instanceof ScalarNode s ? s.getValue() : null;
    }

    /** An endpoint as to:/from: give it: the scalar, or the map's uri. */
    static String uri(Node node) {
        return node instanceof ScalarNode ? scalar(node) : scalar(get(node, "uri"));
    }

    static int line(Node node) {
        return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    /** direct:x, direct://x and direct:x?a=b are one endpoint. */
    static String endpointKey(String uri) {
        String plain = uri.strip();
        int query = plain.indexOf('?');
        if (query >= 0) {
            plain = plain.substring(0, query);
        }
        return plain.replaceFirst("^([a-z][a-z0-9+.-]*):/*", "$1:");
    }

    private static String scheme(String key) {
        int colon = key.indexOf(':');
        return colon < 0 ? "" : key.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    private static String where(String routeId) {
        return routeId == null ? "" : "route " + routeId + ": ";
    }

    private static String capitalize(String name) {
        return name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    private void count(String kind) {
        checked.merge(kind, 1, Integer::sum);
    }

    /** For the report: the kinds and counts, one a line. */
    String summary() {
        Map<String, Integer> byKind = new LinkedHashMap<>(checked);
        StringBuilder text = new StringBuilder(total() + " references resolved against " + beans.size() + " beans:");
        byKind.forEach((kind, n) -> text.append("\n  ").append(kind).append(": ").append(n));
        return text.toString();
    }
}
