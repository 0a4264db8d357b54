package co.soukosync.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.spi.RestClientRequestValidator;
import org.apache.camel.support.MessageHelper;
import org.springframework.stereotype.Component;

/**
 * The API's contract, {@code openapi.yaml}. Camel's REST DSL serves it: it routes each of its
 * operations to {@code direct:<operationId>} and, before it does, hands the request to this bean
 * (client request validation), which checks the request's parameters against their schemas in
 * the contract and answers a request that does not keep it with the API's 400 JSON body: which
 * parameter, what it must be, what it was. This is the one place that answers a request the
 * contract refuses. A request that keeps it gets its parameters, decoded and typed as the
 * contract declares them (its defaults for those absent), in the exchange variable
 * {@value #PARAMS}: the routes read them there, never from the request's headers, where a header
 * could pose as a query parameter of the same name.
 * <p>
 * What the contract says beyond OpenAPI: an operation with {@code x-unknown-query-parameters}
 * refuses any query parameter it does not list, with that text as the reason; the others ignore
 * them. A query parameter without a value ({@code count=}) is as good as absent. No call takes a
 * body: one that is JSON is ignored, one that is not is refused. Also served: the contract as
 * JSON, for GET /api/openapi.json.
 */
@Component("apiContract")
public class ApiContract implements RestClientRequestValidator {

    /** The contract, on the classpath; sync-api.camel.yaml names the same file. */
    static final String DOCUMENT = "openapi.yaml";
    /** The variable that holds a valid request's parameters, by name. */
    public static final String PARAMS = "params";
    static final String UNKNOWN_QUERY = "x-unknown-query-parameters";
    /** Where the schema validator is told the contract is (it never fetches it). */
    private static final String LOCATION = "https://soukosync.invalid/openapi.json";
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private final ObjectMapper mapper;
    private final byte[] json;
    private final List<Operation> operations = new ArrayList<>();

    public ApiContract(ObjectMapper mapper) {
        this.mapper = mapper;
        JsonNode document;
        try (InputStream yaml = ApiContract.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
            if (yaml == null) {
                throw new IllegalStateException(DOCUMENT + " is not on the classpath");
            }
            document = new YAMLMapper().readTree(yaml);
            json = mapper.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException(DOCUMENT + " is not YAML", e);
        }
        // the contract's own fields are not schema keywords
        Dialect openApi30 = Dialect.builder(Dialects.getOpenApi30())
                .keywords(List.of("openapi", "info", "servers", "security", "tags", "paths", "components").stream()
                        .map(NonValidationKeyword::new).toList())
                .build();
        SchemaRegistry schemas = SchemaRegistry.withDialect(openApi30, registry -> registry
                .schemas(Map.of(LOCATION, new String(json, StandardCharsets.UTF_8)))
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
            if (METHODS.contains(method.getKey())) {
                operations.add(Operation.of(document, schemas, method.getKey(), path.getKey(), method.getValue()));
            }
        }));
    }

    /** The contract as JSON (GET /api/openapi.json). */
    public byte[] json() {
        return json.clone();
    }

    @Override
    public ValidationError validate(Exchange exchange, ValidationContext context) {
        Message message = exchange.getIn();
        String body = MessageHelper.extractBodyAsString(message);
        if (body != null) {
            // read once, kept for the REST binding
            message.setBody(body);
        }
        String problem;
        try {
            Checked checked = check(message.getHeader(Exchange.HTTP_METHOD, String.class),
                    message.getHeader(Exchange.HTTP_PATH, String.class), query(message.getHeader(Exchange.HTTP_QUERY, String.class)), body);
            if (checked.problem() == null) {
                exchange.setVariable(PARAMS, checked.params());
                return null;
            }
            problem = checked.problem();
        } catch (ApiException e) {
            problem = e.getMessage();
        }
        // the answer leaves from here: the request's headers (its credentials among them) must not
        // go back with it
        message.removeHeaders("*");
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        try {
            return new ValidationError(400, mapper.writeValueAsString(ApiError.of("bad_request", problem)));
        } catch (IOException e) {
            throw new UncheckedIOException("an error body is always JSON", e);
        }
    }

    /** The request checked: its parameters by name, or what is wrong with it. */
    record Checked(Map<String, Object> params, String problem) {

        static Checked refused(String problem) {
            return new Checked(null, problem);
        }
    }

    /** A request (its query decoded, a value of "" for a parameter without one) against the contract. */
    Checked check(String method, String path, Map<String, String> query, String body) {
        // no call takes a body; one that is not JSON could pass for an upstream's answer
        if (body != null && !body.isBlank() && !isJson(body)) {
            return Checked.refused("the request body is not valid JSON; this call takes no body");
        }
        Operation operation = operations.stream().filter(o -> o.serves(method, path))
                .max((a, b) -> Long.compare(a.literals(), b.literals())).orElse(null);
        if (operation == null) {
            return Checked.refused("this API has no call " + method + " " + printable(String.valueOf(path)));
        }
        if (operation.unknownQuery() != null) {
            for (String name : query.keySet()) {
                if (operation.parameters().stream().noneMatch(p -> p.in().equals("query") && p.name().equals(name))) {
                    return Checked.refused("\"" + printable(name) + "\" is not a parameter of this call: " + operation.unknownQuery());
                }
            }
        }
        Map<String, Object> params = new HashMap<>();
        for (Parameter parameter : operation.parameters()) {
            String raw = parameter.in().equals("path") ? operation.segment(path, parameter.name()) : query.get(parameter.name());
            if (raw == null || raw.isEmpty()) {
                if (parameter.fallback() != null) {
                    params.put(parameter.name(), parameter.fallback());
                }
                continue;
            }
            JsonNode value = parameter.read(raw);
            if (!parameter.schema().validate(value).isEmpty()) {
                return Checked.refused(parameter.name() + " must be " + parameter.rule() + ", not \"" + printable(raw) + "\"");
            }
            params.put(parameter.name(), parameter.typed(value));
        }
        return new Checked(params, null);
    }

    /** One operation of the contract: its method, its path template, its parameters. */
    record Operation(String method, String[] template, List<Parameter> parameters, String unknownQuery) {

        static Operation of(JsonNode document, SchemaRegistry schemas, String method, String path, JsonNode operation) {
            List<Parameter> parameters = new ArrayList<>();
            String pointer = "/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method + "/parameters/";
            for (int i = 0; i < operation.path("parameters").size(); i++) {
                JsonNode parameter = operation.path("parameters").get(i);
                String at = pointer + i;
                if (parameter.has("$ref")) {
                    at = parameter.get("$ref").asText().substring(1);
                    parameter = document.at(at);
                }
                parameters.add(Parameter.of(document, schemas.getSchema(SchemaLocation.of(LOCATION + "#" + at + "/schema")), parameter));
            }
            JsonNode unknownQuery = operation.get(UNKNOWN_QUERY);
            return new Operation(method.toUpperCase(Locale.ROOT), path.split("/"), parameters,
                    unknownQuery == null ? null : unknownQuery.asText());
        }

        boolean serves(String method, String path) {
            String[] segments = path == null ? new String[0] : path.split("/");
            if (!this.method.equalsIgnoreCase(method) || segments.length != template.length) {
                return false;
            }
            for (int i = 0; i < template.length; i++) {
                if (!variable(template[i]) && !template[i].equals(segments[i])) {
                    return false;
                }
            }
            return true;
        }

        /** How many segments of the template are fixed: of two templates that serve a path, the more fixed one serves it. */
        long literals() {
            return Arrays.stream(template).filter(segment -> !variable(segment)).count();
        }

        /** The path's segment that the template names {name}, as the request has it. */
        String segment(String path, String name) {
            String[] segments = path.split("/");
            for (int i = 0; i < template.length; i++) {
                if (template[i].equals("{" + name + "}")) {
                    return segments[i];
                }
            }
            return null;
        }

        private static boolean variable(String segment) {
            return segment.startsWith("{") && segment.endsWith("}");
        }
    }

    /** One parameter: where it is, its schema (to check a value against), its default, and what a value must be, in words. */
    record Parameter(String name, String in, Schema schema, String type, String format, String rule, Object fallback) {

        static Parameter of(JsonNode document, Schema schema, JsonNode parameter) {
            JsonNode definition = parameter.path("schema");
            if (definition.has("$ref")) {
                definition = document.at(definition.get("$ref").asText().substring(1));
            }
            String type = definition.path("type").asText();
            String format = definition.path("format").asText();
            Parameter typed = new Parameter(parameter.path("name").asText(), parameter.path("in").asText(), schema, type, format,
                    rule(definition), null);
            JsonNode fallback = definition.get("default");
            return fallback == null ? typed : new Parameter(typed.name(), typed.in(), schema, type, format, typed.rule(),
                    typed.typed(fallback));
        }

        /**
         * A value as the JSON its schema checks: a whole number only from plain digits (a JSON
         * reader would take " 5" or "1e3"), true and false only so written; anything else as the
         * text it is, which the schema then refuses for its type.
         */
        JsonNode read(String raw) {
            if (type.equals("integer") && raw.matches("-?[0-9]+")) {
                return BigIntegerNode.valueOf(new BigInteger(raw));
            }
            if (type.equals("boolean") && (raw.equals("true") || raw.equals("false"))) {
                return BooleanNode.valueOf(Boolean.parseBoolean(raw));
            }
            return TextNode.valueOf(raw);
        }

        /** A checked value as the routes get it: an int32 as an Integer, any other whole number as a Long. */
        Object typed(JsonNode value) {
            return switch (type) {
                case "integer" -> format.equals("int32") ? (Object) value.intValue() : (Object) value.longValue();
                case "boolean" -> value.booleanValue();
                default -> value.asText();
            };
        }

        /** What a value of this schema must be, in words: its title, or what its type and bounds say. */
        private static String rule(JsonNode schema) {
            if (schema.has("title")) {
                return schema.get("title").asText();
            }
            if (schema.has("enum")) {
                return "one of " + String.join(", ", StreamSupport.stream(schema.get("enum").spliterator(), false).map(JsonNode::asText).toList());
            }
            return switch (schema.path("type").asText()) {
                case "boolean" -> "true or false";
                case "integer" -> {
                    boolean int32 = schema.path("format").asText().equals("int32");
                    yield "a whole number from " + schema.path("minimum").asText(int32 ? "" + Integer.MIN_VALUE : "" + Long.MIN_VALUE)
                            + " to " + schema.path("maximum").asText(int32 ? "" + Integer.MAX_VALUE : "" + Long.MAX_VALUE);
                }
                default -> "a " + schema.path("type").asText("value");
            };
        }
    }

    private boolean isJson(String body) {
        try {
            mapper.readTree(body);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The decoded parameters of a query string, by name, in their order: each at most once, and
     * one without a value ("count=", "count") with the value "".
     */
    static Map<String, String> query(String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            if (parameters.put(name, equals < 0 ? "" : decode(pair.substring(equals + 1))) != null) {
                throw new ApiException(400, "bad_request", "\"" + printable(name) + "\" is given more than once");
            }
        }
        return parameters;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad_request", "the query string is not valid URL encoding: \"" + printable(text) + "\"");
        }
    }

    /** A value as a message may quote it: at most 40 characters, control characters as "?". */
    static String printable(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
