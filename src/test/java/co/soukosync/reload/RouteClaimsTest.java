package co.soukosync.reload;

import static org.assertj.core.api.Assertions.assertThat;

import co.soukosync.reload.RouteClaims.HttpPath;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.Test;

/** The HTTP paths routes claim, as Camel writes their inputs, and which claims one request could reach both of. */
class RouteClaimsTest {

    private final CamelContext camel = new DefaultCamelContext();

    private Optional<HttpPath> input(String uri) {
        return RouteClaims.input(camel, new RouteDefinition().from(uri));
    }

    private static HttpPath path(String methods, String path) {
        return HttpPath.of(methods.isEmpty() ? Set.of() : Set.of(methods.split(",")), path, false);
    }

    @Test
    void inputsAreReadAsCamelWritesThem() {
        assertThat(input("platform-http:/hello")).contains(path("", "/hello"));
        assertThat(input("platform-http:///hello?httpMethodRestrict=get,POST")).contains(path("GET,POST", "/hello"));
        assertThat(input("platform-http:/files?matchOnUriPrefix=true").orElseThrow().prefix()).isTrue();
        // a REST verb's route, in Camel's normalised form, its template encoded
        assertThat(input("rest://get:/api:/users/%7Bid%7D?routeId=rest-user")).contains(path("GET", "/api/users/{id}"));
        assertThat(input("rest:patch:/api:/syncall")).contains(path("PATCH", "/api/syncall"));
        assertThat(input("rest-api:///api/openapi.json")).contains(path("GET", "/api/openapi.json"));
        assertThat(input("direct:sync-run")).isEmpty();
        assertThat(input("timer:tick")).isEmpty();
    }

    /** The REST DSL's contract-first route claims every path of its OpenAPI contract, with its methods. */
    @Test
    void aContractFirstRestRouteClaimsThePathsOfItsContract() {
        List<HttpPath> paths = RouteClaims.inputs(camel,
                new RouteDefinition().from("rest-openapi:openapi.yaml?matchOnUriPrefix=false&clientRequestValidation=true"));

        assertThat(paths).hasSize(13).contains(path("PATCH", "/api/syncall"), path("GET", "/api/synlast"), path("GET", "/api/changes"),
                path("GET", "/api/users/{id}"), path("GET", "/api/runs/{id}/changes"));
        assertThat(RouteClaims.inputs(camel, new RouteDefinition().from("platform-http:/hello"))).containsExactly(path("", "/hello"));
    }

    @Test
    void aRequestThatBothCouldServeIsAClash() {
        assertThat(path("", "/api/syncall").overlaps(path("PATCH", "/api/syncall"))).isTrue();
        assertThat(path("GET", "/api/syncall").overlaps(path("PATCH", "/api/syncall"))).isFalse();
        assertThat(path("GET", "/api/users/me").overlaps(path("GET", "/api/users/{id}"))).isTrue();
        assertThat(path("GET", "/api/users/me/history").overlaps(path("GET", "/api/users/{id}"))).isFalse();
        assertThat(path("", "/api").overlaps(path("PATCH", "/api/syncall"))).isFalse();
        assertThat(path("", "/actuator/health").overlaps(HttpPath.of(Set.of(), "/actuator", true))).isTrue();
        assertThat(path("", "/actuator").overlaps(HttpPath.of(Set.of(), "/actuator", true))).isTrue();
        assertThat(path("", "/actuatorx").overlaps(HttpPath.of(Set.of(), "/actuator", true))).isFalse();
        assertThat(path("", "/files/a/b").overlaps(path("", "/files/*"))).isTrue();
        assertThat(path("", "/hello/").overlaps(path("", "hello"))).isTrue();
    }
}
