package co.soukosync.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.RestClientRequestValidator.ValidationError;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests checked against the contract, openapi.yaml: what a bad one is told (which parameter,
 * what it must be, what it was), and what a good one's route gets. No Spring, no HTTP.
 */
class ApiContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ApiContract contract = new ApiContract(JSON);

    /** What the contract says of this request: "ok" and its parameters, or what is wrong. */
    private static String check(String method, String pathAndQuery) {
        String[] parts = pathAndQuery.split("\\?", 2);
        try {
            ApiContract.Checked checked = contract.check(method, parts[0], ApiContract.query(parts.length == 2 ? parts[1] : null), null);
            return checked.problem() == null ? "ok " + new java.util.TreeMap<>(checked.params()) : checked.problem();
        } catch (ApiException e) {
            return e.getMessage();
        }
    }

    @Test
    void aGoodRequestsRouteGetsItsParametersTypedWithTheContractsDefaults() {
        assertThat(check("GET", "/api/synlast")).isEqualTo("ok {count=100}");
        assertThat(check("GET", "/api/synlast?count=7")).isEqualTo("ok {count=7}");
        assertThat(check("GET", "/api/warehouses")).isEqualTo("ok {limit=100}");
        assertThat(check("GET", "/api/warehouses?limit=1000&after=-5")).isEqualTo("ok {after=-5, limit=1000}");
        assertThat(check("GET", "/api/users/233/history?after=7")).isEqualTo("ok {after=7, id=233, limit=100}");
        assertThat(check("GET", "/api/runs/5/changes?after=3--5&limit=2")).isEqualTo("ok {after=3--5, id=5, limit=2}");
        assertThat(check("PATCH", "/api/syncall")).isEqualTo("ok {dry_run=false, force=false}");
        assertThat(check("PATCH", "/api/syncall?dry_run=true&force=false")).isEqualTo("ok {dry_run=true, force=false}");
        assertThat(check("PATCH", "/api/syncast")).isEqualTo("ok {}");
        Map<String, Object> params = contract.check("GET", "/api/warehouses/9001", Map.of(), null).params();
        assertThat(params.get("id")).isEqualTo(9001L);
    }

    @Test
    void aParameterWithoutAValueIsAsGoodAsAbsent() {
        assertThat(check("GET", "/api/synlast?count=")).isEqualTo("ok {count=100}");
        assertThat(check("GET", "/api/synlast?count")).isEqualTo("ok {count=100}");
        assertThat(check("PATCH", "/api/syncall?dry_run=&force=")).isEqualTo("ok {dry_run=false, force=false}");
        assertThat(check("GET", "/api/warehouses?limit=&after=")).isEqualTo("ok {limit=100}");
    }

    @Test
    void theQueryIsDecodedAsTheRequestSentIt() {
        assertThat(check("PATCH", "/api/syncall?dry%5Frun=%74rue")).isEqualTo("ok {dry_run=true, force=false}");
        assertThat(check("PATCH", "/api/syncall?%zz=1")).startsWith("the query string is not valid URL encoding");
        assertThat(check("PATCH", "/api/syncall?force=true&force=false")).isEqualTo("\"force\" is given more than once");
        assertThat(check("GET", "/api/synlast?count=1&count=2")).isEqualTo("\"count\" is given more than once");
        // GET calls ignore a parameter they do not take, as they always did
        assertThat(check("GET", "/api/synlast?x=1")).isEqualTo("ok {count=100}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "-1", "abc", "1.5", "1e1", "0x10", " ", "%20", "+5", "99999999999999999999", "%EF%BC%91"})
    void aCountOutsideOneToAHundredIsRefusedSayingSo(String count) {
        assertThat(check("GET", "/api/synlast?count=" + count)).startsWith("count must be a whole number from 1 to 100, not \"");
    }

    @Test
    void aRefusedValueIsQuotedPrintableAndShort() {
        assertThat(check("GET", "/api/synlast?count=%00")).isEqualTo("count must be a whole number from 1 to 100, not \"?\"");
        assertThat(check("GET", "/api/synlast?count=101")).isEqualTo("count must be a whole number from 1 to 100, not \"101\"");
        assertThat(check("GET", "/api/synlast?count=" + "x".repeat(100))).endsWith("x…\"");
        assertThat(check("GET", "/api/users/+5")).endsWith("not \"+5\"");
    }

    @Test
    void aLimitIsOneToAThousand() {
        for (String path : List.of("/api/users", "/api/warehouses", "/api/runs/5/changes", "/api/users/5/history",
                "/api/warehouses/5/history", "/api/users/5/warehouses")) {
            assertThat(check("GET", path + "?limit=1000")).as(path).startsWith("ok");
            assertThat(check("GET", path + "?limit=1001")).as(path).isEqualTo("limit must be a whole number from 1 to 1000, not \"1001\"");
            assertThat(check("GET", path + "?limit=0")).as(path).isEqualTo("limit must be a whole number from 1 to 1000, not \"0\"");
        }
    }

    @Test
    void anIdIsAnyBigintAsTheSyncAcceptsIt() {
        for (String id : List.of("233", "-5", "0", "9223372036854775807", "-9223372036854775808")) {
            assertThat(check("GET", "/api/users/" + id)).isEqualTo("ok {id=" + id + "}");
            assertThat(check("GET", "/api/warehouses?after=" + id)).isEqualTo("ok {after=" + id + ", limit=100}");
        }
        for (String id : List.of("abc", "9223372036854775808", "-9223372036854775809", "1.0", "1e3", "--5", "+5", "-", "5-",
                "99999999999999999999")) {
            assertThat(check("GET", "/api/warehouses/" + id)).as(id)
                    .isEqualTo("id must be a whole number from -9223372036854775808 to 9223372036854775807, not \"" + id + "\"");
            assertThat(check("GET", "/api/runs/" + id)).as(id).startsWith("id must be a whole number");
        }
        assertThat(check("GET", "/api/users/233/warehouses?after=-x"))
                .isEqualTo("after must be a whole number from -9223372036854775808 to 9223372036854775807, not \"-x\"");
    }

    @Test
    void aChangesCursorIsASectionAndAnId() {
        for (String cursor : List.of("1-233", "2-185", "3--5", "2-0", "2-9223372036854775807")) {
            assertThat(check("GET", "/api/runs/5/changes?after=" + cursor)).as(cursor).startsWith("ok");
        }
        for (String cursor : List.of("x", "4-1", "0-1", "1-", "1-x", "185", "2---5", "2-%2B5", "2-05")) {
            assertThat(check("GET", "/api/runs/5/changes?after=" + cursor)).as(cursor)
                    .isEqualTo("after must be the cursor of a \"next\" link, not \"" + URLDecoder.decode(cursor, StandardCharsets.UTF_8) + "\"");
        }
    }

    @Test
    void dryRunAndForceAreTrueOrFalse() {
        assertThat(check("PATCH", "/api/syncall?dry_run=maybe")).isEqualTo("dry_run must be true or false, not \"maybe\"");
        assertThat(check("PATCH", "/api/syncall?force=TRUE")).isEqualTo("force must be true or false, not \"TRUE\"");
    }

    /** A misspelt dry_run must not run a real sync; a cast takes no parameter, and says whose they are. */
    @Test
    void syncallAndSyncastRefuseTheParametersTheyDoNotTake() {
        assertThat(check("PATCH", "/api/syncall?dryrun=true"))
                .isEqualTo("\"dryrun\" is not a parameter of this call: PATCH /api/syncall takes dry_run and force only");
        assertThat(check("PATCH", "/api/syncall?dry_run=true&x")).startsWith("\"x\" is not a parameter of this call");
        for (String query : List.of("force=true", "dry_run=false", "dry%5Frun=true")) {
            assertThat(check("PATCH", "/api/syncast?" + query)).as(query).contains("is not a parameter of this call")
                    .contains("dry_run and force are for PATCH /api/syncall");
        }
        assertThat(check("PATCH", "/api/syncast?x=1")).startsWith("\"x\" is not a parameter of this call: PATCH /api/syncast takes no parameters");
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedAndOneThatIsIsIgnored() {
        assertThat(contract.check("PATCH", "/api/syncall", Map.of(), "{\"x\":").problem())
                .isEqualTo("the request body is not valid JSON; this call takes no body");
        assertThat(contract.check("PATCH", "/api/syncast", Map.of(), "dry_run=true").problem()).startsWith("the request body is not valid JSON");
        assertThat(contract.check("PATCH", "/api/syncall", Map.of(), "{}").problem()).isNull();
    }

    /** As Camel's REST binding calls it: a refusal is the API's 400 body, without the request's headers. */
    @Test
    void aRefusedRequestIsAnswered400WithTheApisErrorBodyAndNoneOfItsHeaders() throws Exception {
        Exchange exchange = request("GET", "/api/synlast", "count=0");
        exchange.getIn().setHeader("Authorization", "Bearer some-key");

        ValidationError error = contract.validate(exchange, null);

        assertThat(error.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(error.body().toString());
        assertThat(body.get("response").asText()).isEqualTo("error");
        assertThat(body.at("/data/reason").asText()).isEqualTo("bad_request");
        assertThat(body.at("/data/message").asText()).isEqualTo("count must be a whole number from 1 to 100, not \"0\"");
        assertThat(body.get("date").asText()).endsWith("Z");
        assertThat(exchange.getIn().getHeaders()).containsOnlyKeys(Exchange.CONTENT_TYPE);
        assertThat(exchange.getIn().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(exchange.getVariable(ApiContract.PARAMS)).isNull();
    }

    /** Only the query string is read: a request header named like a parameter is not one. */
    @Test
    void aGoodRequestsParametersAreInTheVariableParamsNotInItsHeaders() {
        Exchange exchange = request("PATCH", "/api/syncall", "force=true");
        exchange.getIn().setHeader("dry_run", "true");

        assertThat(contract.validate(exchange, null)).isNull();

        assertThat(exchange.getVariable(ApiContract.PARAMS, Map.class)).isEqualTo(Map.of("dry_run", false, "force", true));
    }

    @Test
    void theDocumentIsServedAsJson() throws IOException {
        JsonNode document = JSON.readTree(contract.json());

        assertThat(document.get("openapi").asText()).isEqualTo("3.0.3");
        assertThat(document.at("/paths/~1api~1synlast/get/operationId").asText()).isEqualTo("listLatestRuns");
    }

    private static Exchange request(String method, String path, String query) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setHeader(Exchange.HTTP_METHOD, method);
        exchange.getIn().setHeader(Exchange.HTTP_PATH, path);
        exchange.getIn().setHeader(Exchange.HTTP_QUERY, query);
        return exchange;
    }
}
