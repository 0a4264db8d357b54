package co.soukosync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import co.soukosync.api.ApiOperations;
import org.apache.camel.CamelContext;
import org.apache.camel.component.rest.openapi.RestOpenApiComponent;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The OpenAPI document (/api/openapi.json) as the tools that read it see it: it is the contract
 * the API is served from (src/main/resources/openapi.yaml), a real OpenAPI parser finds nothing to
 * say about it, and every answer the API gives, ok or not, matches the schema that the document
 * gives for its operation and status.
 */
class OpenApiIT extends IntegrationSupport {

    /** Where the document is said to be, for the schema validator (it is never fetched from there). */
    private static final String DOCUMENT = "https://soukosync.invalid/api/openapi.json";

    @Autowired
    private CamelContext camel;

    @Test
    void theDocumentIsTheContractTheApiIsServedFrom() throws Exception {
        Answer document = get("/api/openapi.json");
        assertThat(document.status()).isEqualTo(200);
        assertThat(document.contentType()).startsWith("application/json");

        JsonNode contract;
        try (InputStream yaml = getClass().getClassLoader().getResourceAsStream("openapi.yaml")) {
            contract = new YAMLMapper().readTree(yaml);
        }
        assertThat(document.json()).isEqualTo(contract);
        // the REST DSL serves that file: one route takes the API's requests, checks them against it
        // and hands each operation to direct:<operationId>
        assertThat(camel.getRoute("api").getEndpoint().getEndpointUri()).startsWith("rest-openapi:").contains("openapi.yaml")
                .contains("clientRequestValidation=true");
        // each operation handed over by ApiOperations, which a reload of the route file cannot leave stale
        assertThat(camel.getComponent("rest-openapi", RestOpenApiComponent.class).getRestOpenapiProcessorStrategy())
                .isInstanceOf(ApiOperations.class);
        for (JsonNode path : contract.get("paths")) {
            path.forEach(operation -> assertThat(camel.hasEndpoint("direct://" + operation.get("operationId").asText()))
                    .as(operation.get("operationId").asText()).isNotNull());
        }
    }

    @Test
    void aRealOpenApiParserHasNothingToSayAboutTheDocument() {
        Answer document = get("/api/openapi.json");
        assertThat(document.status()).isEqualTo(200);
        assertThat(document.contentType()).startsWith("application/json");

        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setValidateInternalRefs(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document.body(), null, options);

        assertThat(parsed.getMessages()).isEmpty();
        OpenAPI api = parsed.getOpenAPI();
        assertThat(api.getOpenapi()).startsWith("3.0.");
        assertThat(api.getServers()).extracting(Server::getUrl).containsExactly("/");
        SecurityScheme key = api.getComponents().getSecuritySchemes().get("bearerAuth");
        assertThat(key.getType()).isEqualTo(SecurityScheme.Type.HTTP);
        assertThat(key.getScheme()).isEqualTo("bearer");
        assertThat(key.getDescription()).contains("SOUKOSYNC_API_KEY");
        // a call without a token is valid (an open deployment), and so is one with the key
        assertThat(api.getSecurity()).hasSize(2).anySatisfy(requirement -> assertThat(requirement).isEmpty())
                .anySatisfy(requirement -> assertThat(requirement).containsOnlyKeys("bearerAuth"));

        Set<String> operationIds = new LinkedHashSet<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            String name = method + " " + path;
            assertThat(operation.getOperationId()).as(name).matches("[a-z][a-zA-Z]+");
            assertThat(operationIds.add(operation.getOperationId())).as(name + ": operationId unique").isTrue();
            assertThat(operation.getTags()).as(name).singleElement().isIn("sync", "mirror");
            assertThat(operation.getResponses()).as(name).containsKeys("200", "400", "401", "503").doesNotContainKey("default");
            operation.getResponses().forEach((status, reference) -> {
                ApiResponse response = resolved(api, reference);
                assertThat(response.getDescription()).as(name + " " + status).isNotBlank();
                if (status.equals("200")) {
                    assertThat(schemaName(response)).as(name + " " + status).isNotNull().isNotEqualTo("ApiError");
                } else {
                    assertThat(schemaName(response)).as(name + " " + status).isEqualTo("ApiError");
                }
            });
            for (Parameter parameter : parameters(api, operation)) {
                if (parameter.getName().equals("id")) {
                    assertThat(schema(api, parameter).getType()).as(name + " id").isEqualTo("integer");
                    assertThat(schema(api, parameter).getFormat()).as(name + " id").isEqualTo("int64");
                    assertBounds(schema(api, parameter), Long.MIN_VALUE, Long.MAX_VALUE);
                    assertThat(operation.getResponses()).as(name).containsKey("404");
                }
            }
        }));
        assertThat(operationIds).hasSize(13);
        // every object of an answer is closed: a field that the document does not name is a mismatch
        api.getComponents().getSchemas().forEach((name, schema) -> {
            if (schema.getProperties() != null) {
                assertThat(schema.getAdditionalProperties()).as(name + " additionalProperties").isEqualTo(false);
            }
        });
        assertBounds(query(api, "/api/synlast", "count"), 1, 100);
        for (String path : List.of("/api/users", "/api/warehouses", "/api/runs/{id}/changes", "/api/changes", "/api/users/{id}/history",
                "/api/warehouses/{id}/history", "/api/users/{id}/warehouses")) {
            assertBounds(query(api, path, "limit"), 1, 1000);
        }
    }

    @Test
    void theDocumentDoesNotEchoTheRequestHeaders() throws Exception {
        HttpResponse<String> document = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/openapi.json"))
                        .header("Authorization", "Bearer some-api-key").header("Cookie", "session=abc").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(document.headers().map().keySet()).map(name -> name.toLowerCase(Locale.ROOT))
                .doesNotContain("authorization", "cookie");
        assertThat(document.headers().map().toString()).doesNotContain("some-api-key").doesNotContain("session=abc");
    }

    @Test
    void everyAnswerOfTheApiMatchesItsDocumentedSchema() {
        Documented api = new Documented(get("/api/openapi.json").body());

        // a first run, and what it changed, a page at a time
        long start = count("SELECT last_seq FROM sync_feed");
        long first = api.call("PATCH", "/api/syncall", 200).get("run_id").asLong();
        List<JsonNode> changes = api.pages("/api/runs/" + first + "/changes?limit=2");
        assertThat(changes).hasSize(1 + 5 + 5);

        // the upstream changes: a warehouse renamed, one gone, one new; a dry run previews it
        ObjectNode upstream = Upstream.warehousesAnswer();
        ((ObjectNode) Upstream.warehouses(upstream).get(3)).put("name", "z13-renamed").put("priority", 7);
        Upstream.warehouses(upstream).remove(1);
        Upstream.warehouses(upstream).add(((ObjectNode) Upstream.warehouses(upstream).get(0).deepCopy()).put("id", 777));
        Upstream.serveWarehouses(upstream);
        JsonNode dry = api.call("PATCH", "/api/syncall?dry_run=true", 200);
        assertThat(dry.get("dry_run").asBoolean()).isTrue();
        assertThat(dry.at("/changes/data").findValuesAsText("change")).contains("inserted", "updated", "added", "removed");
        api.call("GET", "/api/runs/" + dry.get("run_id").asLong(), 200);

        long second = api.call("PATCH", "/api/syncall", 200).get("run_id").asLong();
        assertThat(api.pages("/api/runs/" + second + "/changes").stream().map(change -> change.get("change").asText()))
                .contains("inserted", "updated", "added", "removed");

        // many links that the upstream no longer lists: a dry run warns of the brake, a forced call applies
        jdbc.update("INSERT INTO warehouses (id, name, line1, raw) SELECT g, 'w' || g, 'l', '{}' FROM generate_series(9001, 9010) g");
        jdbc.update("INSERT INTO users_warehouses (user_id, warehouse_id) SELECT 233, g FROM generate_series(9001, 9010) g");
        JsonNode braked = api.call("PATCH", "/api/syncall?dry_run=true", 200);
        assertThat(braked.at("/warnings/0/reason").asText()).isEqualTo("suspicious_shrink");
        JsonNode forced = api.call("PATCH", "/api/syncall?force=true", 200);
        assertThat(forced.get("forced").asBoolean()).isTrue();

        // a failed run
        Upstream.serveWarehouses(aResponse().withStatus(404));
        JsonNode failed = api.call("PATCH", "/api/syncall", 200);
        assertThat(failed.at("/data/reason").asText()).isEqualTo("http_404");
        api.call("GET", "/api/runs/" + failed.get("run_id").asLong(), 200);
        Upstream.serveRecorded();

        // a queued run
        api.call("PATCH", "/api/syncast", 200);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM sync_runs WHERE trigger = 'cast' AND outcome <> 'running'") == 1);

        assertThat(api.call("GET", "/api/synlast", 200).get("data")).hasSize(7);
        api.call("GET", "/api/synlast?count=2", 200);

        // the mirror and its history
        assertThat(api.pages("/api/users?limit=1")).hasSize(1);
        // the recorded five, the new one, and the ten that were unlinked (rows stay)
        assertThat(api.pages("/api/warehouses?limit=2")).hasSize(16);
        api.call("GET", "/api/users/233", 200);
        assertThat(api.call("GET", "/api/users/233/history", 200).at("/data/0/change").asText()).isEqualTo("inserted");
        assertThat(api.pages("/api/users/233/warehouses?limit=2")).hasSize(5);
        api.call("GET", "/api/warehouses/251", 200);
        assertThat(api.call("GET", "/api/warehouses/251/history", 200).at("/data/1/fields/name/to").asText()).isEqualTo("z13-renamed");
        // inserted, renamed, and renamed back by the queued run (the recorded answer again)
        assertThat(api.pages("/api/warehouses/251/history?limit=1")).hasSize(3);

        // bad input and unknown ids
        api.call("PATCH", "/api/syncall?dry_run=maybe", 400);
        api.answer("PATCH", "/api/syncast", sendJson("PATCH", "/api/syncast", "{\"x\":"), 400);
        api.call("GET", "/api/synlast?count=0", 400);
        api.call("GET", "/api/synlast?count=abc", 400);
        api.call("GET", "/api/runs/abc", 400);
        api.call("GET", "/api/runs/424242", 404);
        api.call("GET", "/api/runs/" + first + "/changes?after=x", 400);
        api.call("GET", "/api/runs/424242/changes", 404);
        api.call("GET", "/api/users?limit=0", 400);
        api.call("GET", "/api/users/abc", 400);
        api.call("GET", "/api/users/424242", 404);
        api.call("GET", "/api/users/abc/history", 400);
        api.call("GET", "/api/users/424242/history", 404);
        api.call("GET", "/api/users/233/history?limit=0", 400);
        api.call("GET", "/api/users/abc/warehouses", 400);
        api.call("GET", "/api/users/424242/warehouses", 404);
        api.call("GET", "/api/warehouses?after=abc", 400);
        api.call("GET", "/api/warehouses/abc", 400);
        api.call("GET", "/api/warehouses/424242", 404);
        api.call("GET", "/api/warehouses/abc/history", 400);
        api.call("GET", "/api/warehouses/424242/history", 404);

        // the change feed of all the runs above, a page at a time; a malformed cursor; one older than
        // what retention kept
        List<JsonNode> feed = new ArrayList<>();
        for (String next = "/api/changes?after=" + start + "&limit=7"; ; ) {
            JsonNode page = api.call("GET", next, 200);
            if (page.get("data").isEmpty()) {
                break;
            }
            page.get("data").forEach(feed::add);
            next = page.get("next").asText();
        }
        assertThat(feed.stream().map(change -> change.get("change").asText())).contains("inserted", "updated", "added", "removed");
        api.call("GET", "/api/changes?after=x", 400);
        jdbc.update("UPDATE sync_runs SET started_at = now() - interval '91 days' WHERE id = ?", first);
        camel.createFluentProducerTemplate().to("direct:changes-retention").request();
        assertThat(api.call("GET", "/api/changes?after=" + start, 410).at("/data/next").asText()).startsWith("/api/changes?after=");

        // every status that the document names was answered and checked, but 401 (SOUKOSYNC_API_KEY is
        // unset here; ApiKeyIT has it) and 503 (starting, or the database away)
        assertThat(api.unchecked()).isEmpty();
    }

    @Test
    void anAnswerWithARenamedOrMissingFieldDoesNotMatch() {
        Documented api = new Documented(get("/api/openapi.json").body());
        JsonNode run = api.call("PATCH", "/api/syncall", 200);
        JsonNode user = api.call("GET", "/api/users/233", 200);
        JsonNode error = api.call("GET", "/api/users/424242", 404);

        assertThat(api.errors("PATCH", "/api/syncall", 200, renamed(run, "", "run_id", "runId"))).isNotEmpty();
        assertThat(api.errors("PATCH", "/api/syncall", 200, renamed(run, "/counts", "links", "link"))).isNotEmpty();
        assertThat(api.errors("PATCH", "/api/syncall", 200, renamed(run, "", "date", null))).isNotEmpty();
        assertThat(api.errors("PATCH", "/api/syncall", 200, ((ObjectNode) run.deepCopy()).put("data", 6))).isNotEmpty();
        assertThat(api.errors("PATCH", "/api/syncall", 200, ((ObjectNode) run.deepCopy()).put("run_id", "1"))).isNotEmpty();
        assertThat(api.errors("GET", "/api/users/{id}", 200, renamed(user, "/data", "email", "mail"))).isNotEmpty();
        assertThat(api.errors("GET", "/api/users/{id}", 200, renamed(user, "/data", "tenant_id", null))).isNotEmpty();
        assertThat(api.errors("GET", "/api/users/{id}", 404, renamed(error, "/data", "message", "msg"))).isNotEmpty();
        assertThat(api.errors("GET", "/api/users/{id}", 404, renamed(error, "", "response", null))).isNotEmpty();
    }

    /** A copy of an answer with a field of the object at this pointer renamed (or removed: to null). */
    private static JsonNode renamed(JsonNode answer, String at, String from, String to) {
        JsonNode copy = answer.deepCopy();
        ObjectNode object = (ObjectNode) copy.at(at);
        assertThat(object.has(from)).as(at + "/" + from).isTrue();
        JsonNode value = object.remove(from);
        if (to != null) {
            object.set(to, value);
        }
        return copy;
    }

    private static String schemaName(ApiResponse response) {
        if (response.getContent() == null || response.getContent().get("application/json") == null) {
            return null;
        }
        String ref = response.getContent().get("application/json").getSchema().get$ref();
        return ref == null ? null : ref.substring(ref.lastIndexOf('/') + 1);
    }

    /** The operation's parameters, those the document writes once (components) as well. */
    private static List<Parameter> parameters(OpenAPI api, Operation operation) {
        return operation.getParameters() == null ? List.of() : operation.getParameters().stream()
                .map(parameter -> parameter.get$ref() == null ? parameter
                        : api.getComponents().getParameters().get(name(parameter.get$ref())))
                .toList();
    }

    private static ApiResponse resolved(OpenAPI api, ApiResponse response) {
        return response.get$ref() == null ? response : api.getComponents().getResponses().get(name(response.get$ref()));
    }

    private static Schema<?> schema(OpenAPI api, Parameter parameter) {
        Schema<?> schema = parameter.getSchema();
        return schema.get$ref() == null ? schema : api.getComponents().getSchemas().get(name(schema.get$ref()));
    }

    private static String name(String ref) {
        return ref.substring(ref.lastIndexOf('/') + 1);
    }

    private static Schema<?> query(OpenAPI api, String path, String name) {
        return schema(api, parameters(api, api.getPaths().get(path).getGet()).stream()
                .filter(parameter -> parameter.getName().equals(name) && parameter.getIn().equals("query"))
                .findFirst().orElseThrow());
    }

    private static void assertBounds(Schema<?> schema, long minimum, long maximum) {
        assertThat(schema.getType()).isEqualTo("integer");
        assertThat(schema.getMinimum()).isEqualByComparingTo(BigDecimal.valueOf(minimum));
        assertThat(schema.getMaximum()).isEqualByComparingTo(BigDecimal.valueOf(maximum));
    }

    /**
     * The served document: the schema of each operation's answers, by status, and which of them
     * the test has checked.
     */
    private final class Documented {

        private final JsonNode document;
        private final SchemaRegistry schemas;
        private final Set<String> checked = new LinkedHashSet<>();

        Documented(String json) {
            try {
                document = JSON.readTree(json);
            } catch (java.io.IOException e) {
                throw new AssertionError("the document is not JSON", e);
            }
            // the document's own fields are not schema keywords
            Dialect openApi30 = Dialect.builder(Dialects.getOpenApi30())
                    .keywords(List.of("openapi", "info", "servers", "security", "tags", "paths", "components").stream()
                            .map(NonValidationKeyword::new).toList())
                    .build();
            schemas = SchemaRegistry.withDialect(openApi30, registry -> registry
                    .schemas(Map.of(DOCUMENT, json))
                    .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        }

        /** Sends the request, checks that it got this status and that its answer matches the document. */
        JsonNode call(String method, String pathAndQuery, int status) {
            return answer(method, pathAndQuery, send(method, pathAndQuery), status);
        }

        /** Checks an answer to this request. */
        JsonNode answer(String method, String pathAndQuery, Answer answer, int status) {
            String template = template(pathAndQuery.split("\\?", 2)[0]);
            assertThat(answer.status()).as(method + " " + pathAndQuery + ": " + answer.body()).isEqualTo(status);
            assertThat(answer.contentType()).as(method + " " + pathAndQuery).startsWith("application/json");
            JsonNode json = answer.json();
            assertThat(errors(method, template, status, json))
                    .as(method + " " + pathAndQuery + " answered " + status + " " + answer.body()).isEmpty();
            checked.add(method + " " + template + " " + status);
            return json;
        }

        /** Every item of every page, following the "next" links from this first page. */
        List<JsonNode> pages(String first) {
            List<JsonNode> items = new ArrayList<>();
            String next = first;
            while (next != null) {
                JsonNode page = call("GET", next, 200);
                page.get("data").forEach(items::add);
                next = page.get("next").isNull() ? null : page.get("next").asText();
            }
            return items;
        }

        /** What the document's schema for this operation and status finds wrong with this answer. */
        List<String> errors(String method, String template, int status, JsonNode answer) {
            String operation = "/paths/" + pointer(template) + "/" + method.toLowerCase(Locale.ROOT) + "/responses/" + status;
            assertThat(document.at(operation).isMissingNode()).as(method + " " + template + " documents " + status).isFalse();
            // a response the document writes once (components/responses) is referred to
            if (document.at(operation).has("$ref")) {
                operation = document.at(operation).get("$ref").asText().substring(1);
            }
            List<Error> found = schemas.getSchema(SchemaLocation.of(DOCUMENT + "#" + operation + "/content/application~1json/schema"))
                    .validate(answer);
            return found.stream().map(error -> error.getInstanceLocation() + ": " + error.getKeyword()
                    + (error.getProperty() == null ? "" : " " + error.getProperty()) + ": " + error.getMessage()).toList();
        }

        /** Each method, path and status that the document names and that no call checked. */
        List<String> unchecked() {
            List<String> missing = new ArrayList<>();
            document.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
                Iterator<String> statuses = operation.getValue().get("responses").fieldNames();
                statuses.forEachRemaining(status -> {
                    String key = operation.getKey().toUpperCase() + " " + path.getKey() + " " + status;
                    if (!status.equals("401") && !status.equals("503") && !checked.contains(key)) {
                        missing.add(key);
                    }
                });
            }));
            return missing;
        }

        /** The document's path template that this path is an instance of. */
        private String template(String path) {
            List<String> matches = new ArrayList<>();
            document.get("paths").fieldNames().forEachRemaining(template -> {
                String regex = Pattern.quote(template).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
                if (path.matches(regex)) {
                    matches.add(template);
                }
            });
            assertThat(matches).as(path + " is an operation of the document").hasSize(1);
            return matches.get(0);
        }

        private static String pointer(String template) {
            return template.replace("~", "~0").replace("/", "~1");
        }
    }
}
