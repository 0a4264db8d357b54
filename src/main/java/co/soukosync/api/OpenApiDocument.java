package co.soukosync.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.openapi.OpenApiRestApiProcessorFactory;
import org.apache.camel.spi.RestApiProcessorFactory;
import org.apache.camel.spi.RestConfiguration;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.stereotype.Component;

/**
 * The OpenAPI document (GET /api/openapi.json) as camel-openapi-java makes it from the REST DSL,
 * completed with the three things that neither the REST DSL nor swagger's annotations can say in
 * OpenAPI 3.0:
 * <ul>
 * <li>the bounds of {@code count} and {@code limit}, from the constants that {@link ApiRequests}
 * enforces (a REST DSL parameter has a type and allowable values, no minimum or maximum);</li>
 * <li>no {@code type} on a schema that is a choice ({@code oneOf}) or any JSON value: swagger-core
 * writes {@code type: object} there, which would refuse a run's {@code "data": "6 upserted"} (and
 * Camel leaves its {@code x-className} marker on such a property);</li>
 * <li>a relative server URL, {@code /} (Camel writes {@code http://0.0.0.0}, without the port).</li>
 * </ul>
 * It also keeps the request's headers out of the answer: Camel's route of the document leaves them
 * on the message, and platform-http would send them back, the API key of a call that carries one
 * included.
 * Camel finds this factory as the one {@link RestApiProcessorFactory} in the registry and uses it in
 * place of its own, which it wraps. Everything else in the document comes from sync-api.camel.yaml
 * and {@link ApiSchemas}.
 */
@Component
public class OpenApiDocument implements RestApiProcessorFactory {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The query parameters that have bounds, as ApiRequests enforces them. */
    private static final Map<String, Bounds> BOUNDS = Map.of(
            "count", new Bounds(1, ApiRequests.MAX_RUNS, ApiRequests.MAX_RUNS),
            "limit", new Bounds(1, ApiRequests.MAX_PAGE, ApiRequests.DEFAULT_PAGE));

    private record Bounds(int minimum, int maximum, int whenAbsent) {
    }

    private final RestApiProcessorFactory camel = new OpenApiRestApiProcessorFactory();

    @Override
    public Processor createApiProcessor(CamelContext context, String contextPath, RestConfiguration configuration,
                                        Map<String, Object> parameters) throws Exception {
        return new Completing(camel.createApiProcessor(context, contextPath, configuration, parameters));
    }

    /** The document of the REST DSL, completed. */
    private static JsonNode complete(JsonNode document) {
        ObjectNode doc = (ObjectNode) document.deepCopy();
        doc.putArray("servers").addObject().put("url", "/")
                .put("description", "the server that serves this document");
        doc.path("paths").forEach(path -> path.forEach(operation -> operation.path("parameters").forEach(parameter -> {
            Bounds bounds = BOUNDS.get(parameter.path("name").asText());
            if (bounds != null && "query".equals(parameter.path("in").asText()) && parameter.get("schema") instanceof ObjectNode schema) {
                schema.put("minimum", bounds.minimum()).put("maximum", bounds.maximum()).put("default", bounds.whenAbsent());
            }
        })));
        untypeChoices(doc.path("components").path("schemas"));
        doc.path("paths").forEach(path -> path.forEach(operation -> operation.path("responses")
                .forEach(response -> response.path("content").forEach(media -> untypeChoices(media.path("schema"))))));
        return doc;
    }

    /** Drops swagger-core's {@code type: object} from choices and from "any JSON value", in this schema and those it holds. */
    private static void untypeChoices(JsonNode node) {
        if (node instanceof ObjectNode schema) {
            schema.remove("x-className");
        }
        if (node instanceof ObjectNode schema && "object".equals(schema.path("type").asText())) {
            boolean choice = schema.has("oneOf") || schema.has("anyOf");
            boolean anyValue = !schema.has("properties") && !schema.has("additionalProperties") && !schema.has("allOf")
                    && !schema.has("$ref");
            if (choice || anyValue) {
                schema.remove("type");
            }
        }
        node.forEach(OpenApiDocument::untypeChoices);
    }

    /**
     * Camel's processor of the document, and then {@link #complete}. Camel's renders the document
     * (as JSON and as YAML) when it is initialised: that is done at the first request, not during
     * every start (0.9 s of it), nor at every reload of the API's route file.
     */
    private static final class Completing extends ServiceSupport implements Processor {

        private final Processor document;
        private volatile boolean rendered;

        Completing(Processor document) {
            this.document = document;
        }

        private void render() {
            if (!rendered) {
                synchronized (this) {
                    if (!rendered) {
                        ServiceHelper.initService(document);
                        ServiceHelper.startService(document);
                        rendered = true;
                    }
                }
            }
        }

        @Override
        public void process(Exchange exchange) throws Exception {
            render();
            document.process(exchange);
            // the request's headers are still on the message, and platform-http would answer them
            // all (Authorization and Cookie too); the document's own Content-Length is stale below
            exchange.getMessage().removeHeaders("*", Exchange.CONTENT_TYPE);
            // api-context-path ends in .json, for which Camel always answers JSON (never YAML)
            byte[] body = exchange.getMessage().getBody(byte[].class);
            if (body != null && body.length > 0) {
                exchange.getMessage().setBody(JSON.writeValueAsBytes(complete(JSON.readTree(body))));
            }
        }

        @Override
        protected void doStop() throws Exception {
            ServiceHelper.stopService(document);
            rendered = false;
        }
    }
}
