package co.soukosync.routes;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Camel's own JSON schema of its YAML DSL ({@code schema/camelYamlDsl.json} in the camel-yaml-dsl jar, draft-04),
 * the one Kaoto, the VS Code Camel extension and the camel CLI check route files against.
 *
 * <p>One exception, made explicitly: a value that is a whole property placeholder ({@code "{{name}}"}) where the
 * schema wants a number or a boolean. Camel resolves the placeholder before it converts the value; the schema
 * cannot say so. Before validating, such a value is replaced by a stand-in of the type the schema wants at that
 * spot; nothing else is changed, and no violation is filtered out.
 */
final class CamelYamlSchema {

    static final String RESOURCE = "schema/camelYamlDsl.json";

    private static final Pattern WHOLE_PLACEHOLDER = Pattern.compile("\\{\\{[^{}]+}}");
    private static final Set<String> COMBINATORS = Set.of("anyOf", "oneOf", "allOf");

    /** One violation: where (JSON path and line) and what. */
    record Violation(String path, int line, String message) {
        @Override
        public String toString() {
            return path + " (line " + line + "): " + message;
        }
    }

    private final URL source;
    private final JsonNode schemaJson;
    private final Schema schema;
    private final YAMLFactory yamlFactory = new YAMLFactory();
    private final ObjectMapper yaml = new ObjectMapper(yamlFactory);

    private CamelYamlSchema(URL source, JsonNode schemaJson) {
        this.source = source;
        this.schemaJson = schemaJson;
        // "deprecated" is Camel's own annotation; declared so that the validator knows it means nothing to check
        Dialect draft4 = Dialect.builder(Dialects.getDraft4()).keyword(new AnnotationKeyword("deprecated")).build();
        this.schema = SchemaRegistry.withDialect(draft4).getSchema(schemaJson);
    }

    /** The schema from the camel-yaml-dsl jar on the classpath. */
    static CamelYamlSchema fromClasspath() {
        URL url = CamelYamlSchema.class.getClassLoader().getResource(RESOURCE);
        if (url == null) {
            throw new IllegalStateException(RESOURCE + " is not on the classpath (it comes with camel-yaml-dsl)");
        }
        try (InputStream in = url.openStream()) {
            return new CamelYamlSchema(url, new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URL source() {
        return source;
    }

    String draft() {
        return schemaJson.path("$schema").asText();
    }

    /** The violations of a route file's text, in the order of the file. */
    List<Violation> check(String yamlText) {
        JsonNode routes;
        Map<String, Integer> lines;
        try {
            routes = yaml.readTree(yamlText);
            lines = linesByPointer(yamlText);
        } catch (IOException e) {
            return List.of(new Violation("$", 0, "not YAML: " + e.getMessage()));
        }
        if (routes == null) {
            return List.of(new Violation("$", 0, "empty"));
        }
        JsonNode checked = typePlaceholders(routes, expand(List.of(schemaJson)));
        List<Violation> violations = new ArrayList<>();
        for (Error error : readable(schema.validate(checked))) {
            NodePath at = error.getInstanceLocation();
            violations.add(new Violation(jsonPath(at), lines.getOrDefault(pointer(at), 0), describe(error)));
        }
        violations.sort((a, b) -> Integer.compare(a.line(), b.line()));
        return violations;
    }

    // --- the placeholder exception -------------------------------------------------------------

    /** A copy of the instance where each whole placeholder that the schema wants as a number or boolean is one. */
    private JsonNode typePlaceholders(JsonNode node, List<JsonNode> schemas) {
        if (node.isObject()) {
            ObjectNode copy = ((ObjectNode) node).objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                copy.set(field.getKey(), typePlaceholders(field.getValue(), property(schemas, field.getKey())));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = ((ArrayNode) node).arrayNode();
            for (int i = 0; i < node.size(); i++) {
                copy.add(typePlaceholders(node.get(i), item(schemas, i)));
            }
            return copy;
        }
        if (node.isTextual() && WHOLE_PLACEHOLDER.matcher(node.textValue()).matches()) {
            JsonNode standIn = standIn(schemas);
            return standIn != null ? standIn : node;
        }
        return node;
    }

    /**
     * A value of the type the schema wants here when that is a number or a boolean and never a string; null when a
     * string is allowed here or the schema does not say (then the placeholder is checked as the string it is).
     */
    private static JsonNode standIn(List<JsonNode> schemas) {
        Set<String> types = new HashSet<>();
        for (JsonNode s : schemas) {
            JsonNode type = s.get("type");
            if (type == null) {
                if (COMBINATORS.stream().noneMatch(s::has)) {
                    return null; // any type goes here
                }
            } else if (type.isArray()) {
                type.forEach(t -> types.add(t.asText()));
            } else {
                types.add(type.asText());
            }
        }
        if (types.contains("string")) {
            return null;
        }
        if (types.contains("number") || types.contains("integer")) {
            return IntNode.valueOf(1);
        }
        if (types.contains("boolean")) {
            return BooleanNode.TRUE;
        }
        return null;
    }

    /** The schemas that may apply to property {@code name} of an object that the given schemas apply to. */
    private List<JsonNode> property(List<JsonNode> schemas, String name) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode s : schemas) {
            JsonNode declared = s.path("properties").get(name);
            if (declared != null) {
                out.add(declared);
            } else if (s.path("additionalProperties").isObject()) {
                out.add(s.get("additionalProperties"));
            }
        }
        return expand(out);
    }

    /** The schemas that may apply to element {@code index} of an array that the given schemas apply to. */
    private List<JsonNode> item(List<JsonNode> schemas, int index) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode s : schemas) {
            JsonNode items = s.get("items");
            if (items != null && items.isObject()) {
                out.add(items);
            } else if (items != null && items.isArray() && index < items.size()) {
                out.add(items.get(index));
            }
        }
        return expand(out);
    }

    /** The schemas with their references resolved and the branches of anyOf, oneOf and allOf added. */
    private List<JsonNode> expand(List<JsonNode> schemas) {
        Set<JsonNode> out = Collections.newSetFromMap(new IdentityHashMap<>());
        schemas.forEach(s -> expand(s, out));
        return new ArrayList<>(out);
    }

    private void expand(JsonNode s, Set<JsonNode> out) {
        if (!s.isObject()) {
            return;
        }
        JsonNode ref = s.get("$ref");
        if (ref != null) {
            // draft-04: a $ref replaces the whole schema it is in; the schema has only local references
            JsonNode target = schemaJson.at(ref.asText().substring(1));
            if (target.isMissingNode()) {
                throw new IllegalStateException("unresolved $ref " + ref.asText());
            }
            expand(target, out);
            return;
        }
        if (!out.add(s)) {
            return;
        }
        for (String combinator : COMBINATORS) {
            s.path(combinator).forEach(branch -> expand(branch, out));
        }
    }

    // --- readable messages ---------------------------------------------------------------------

    /**
     * The errors to show. All of them, except around a failed oneOf or anyOf where one of its branches is clearly
     * the one the file meant (its errors lie deeper in the instance, the others fail at the spot itself, as
     * "required property 'deadLetterChannel' not found"): then only that branch's errors are shown, which name the
     * real fault. This only shortens the message: a file with errors always gets at least one violation.
     */
    private static List<Error> readable(List<Error> errors) {
        Set<Error> hidden = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Error combinator : errors) {
            if (!"oneOf".equals(combinator.getKeyword()) && !"anyOf".equals(combinator.getKeyword())) {
                continue;
            }
            String prefix = combinator.getEvaluationPath() + "/";
            Map<String, List<Error>> branches = new HashMap<>();
            for (Error e : errors) {
                String path = e.getEvaluationPath().toString();
                if (path.startsWith(prefix)) {
                    String branch = path.substring(prefix.length()).split("/", 2)[0];
                    branches.computeIfAbsent(branch, b -> new ArrayList<>()).add(e);
                }
            }
            Set<String> meant = new LinkedHashSet<>();
            branches.forEach((branch, branchErrors) -> {
                boolean failsAtTheSpot = branchErrors.stream()
                        .anyMatch(e -> e.getInstanceLocation().equals(combinator.getInstanceLocation()));
                if (!failsAtTheSpot) {
                    meant.add(branch);
                }
            });
            if (!meant.isEmpty()) {
                hidden.add(combinator);
                branches.forEach((branch, branchErrors) -> {
                    if (!meant.contains(branch)) {
                        hidden.addAll(branchErrors);
                    }
                });
            }
        }
        List<Error> shown = errors.stream().filter(e -> !hidden.contains(e)).toList();
        return shown.isEmpty() ? errors : shown;
    }

    /**
     * What is wrong, in words. Written here rather than taken from the validator's message bundle: another jar on
     * the test classpath (wiremock-standalone) ships an older bundle of the same name, whose texts do not fit
     * this version's arguments.
     */
    private static String describe(Error error) {
        Object[] args = error.getArguments() == null ? new Object[0] : error.getArguments();
        JsonNode value = error.getInstanceNode();
        String shown = value == null ? "" : abbreviate(value.toString());
        return switch (error.getKeyword()) {
            case "type" -> shown + " is a " + arg(args, 0) + ", the schema wants a " + arg(args, 1);
            case "additionalProperties" -> "'" + arg(args, 0) + "' is not a key the schema knows here";
            case "required" -> "required key '" + arg(args, 0) + "' is missing";
            case "enum" -> shown + " is not one of " + arg(args, 0);
            case "maxProperties" -> "more than " + arg(args, 0) + " key(s) in " + shown;
            case "minProperties" -> "fewer than " + arg(args, 0) + " key(s) in " + shown;
            case "oneOf" -> shown + " matches " + arg(args, 0) + " of the alternatives the schema allows here, not exactly one";
            case "anyOf" -> shown + " matches none of the alternatives the schema allows here";
            case "not" -> shown + " matches what the schema forbids here: " + abbreviate(arg(args, 0));
            default -> error.getKeyword() + " " + Arrays.toString(args) + " violated by " + shown;
        };
    }

    private static String arg(Object[] args, int i) {
        return i < args.length ? String.valueOf(args[i]) : "?";
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }

    // --- where -----------------------------------------------------------------------------------

    /** {@code $[2].route.errorHandler}, as a reader of the file follows it. */
    private static String jsonPath(NodePath at) {
        StringBuilder out = new StringBuilder("$");
        for (int i = 0; i < at.getNameCount(); i++) {
            Object element = at.getElement(i);
            if (element instanceof Integer index) {
                out.append('[').append(index).append(']');
            } else if (element.toString().matches("[A-Za-z_][A-Za-z0-9_-]*")) {
                out.append('.').append(element);
            } else {
                out.append("['").append(element).append("']");
            }
        }
        return out.toString();
    }

    /** The JSON pointer Jackson gives the same spot, for the line lookup. */
    private static String pointer(NodePath at) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < at.getNameCount(); i++) {
            out.append('/').append(at.getElement(i).toString().replace("~", "~0").replace("/", "~1"));
        }
        return out.toString();
    }

    /** The line each value starts on, by JSON pointer. */
    private Map<String, Integer> linesByPointer(String yamlText) throws IOException {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser parser = yamlFactory.createParser(yamlText)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.FIELD_NAME || token.isStructEnd()) {
                    continue;
                }
                // at the start of an object or array the parser is already inside it: its spot is in the parent
                JsonStreamContext spot = token.isStructStart()
                        ? parser.getParsingContext().getParent()
                        : parser.getParsingContext();
                lines.putIfAbsent(spot.pathAsPointer(false).toString(), parser.currentTokenLocation().getLineNr());
            }
        }
        return lines;
    }
}
