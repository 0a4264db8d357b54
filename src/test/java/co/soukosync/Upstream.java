package co.soukosync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Pulpo API as a WireMock stub on a free port, serving fixtures written from the recorded
 * answers (src/test/resources/upstream). One server serves every test class, so that they share
 * one Spring context.
 */
public final class Upstream {

    public static final String USER = "julio_user1";
    public static final String PASSWORD = "pa55-w0rd-secret";
    public static final String TOKEN = "test-token-1";
    public static final String BASE_PATH = "/api/v1";
    public static final String ME = BASE_PATH + "/iam/users/me";
    public static final String WAREHOUSES = BASE_PATH + "/iam/users/233/warehouses";
    public static final String AUTH = BASE_PATH + "/auth";

    public static final WireMockServer SERVER = new WireMockServer(options().dynamicPort());
    /** Another party: the receiver of the alert webhook. */
    public static final WireMockServer RECEIVER = new WireMockServer(options().dynamicPort());
    static final ObjectMapper JSON = new ObjectMapper();

    static {
        SERVER.start();
        RECEIVER.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            SERVER.stop();
            RECEIVER.stop();
        }));
    }

    private Upstream() {}

    public static String baseUrl() {
        return SERVER.baseUrl() + BASE_PATH;
    }

    /** The recorded behaviour: a password grant, the user, and the user's five warehouses. */
    public static void serveRecorded() {
        serveOnlyToken(TOKEN);
    }

    /** The recorded behaviour, but the grant hands out this token and only it is accepted. */
    public static void serveOnlyToken(String token) {
        SERVER.resetAll();
        // a data call with any other token is refused, as the real API does
        SERVER.stubFor(get(urlPathMatching(BASE_PATH + "/iam/.*")).atPriority(10)
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"invalid_token\"}")));
        serveToken(token);
    }

    private static void serveToken(String token) {
        SERVER.stubFor(post(urlPathEqualTo(AUTH))
                .withRequestBody(equalToJson("{\"grant_type\":\"password\",\"username\":\"" + USER
                        + "\",\"password\":\"" + PASSWORD + "\",\"scope\":\"default\"}"))
                .willReturn(json(fixture("auth_token.json").replace(TOKEN, token))));
        SERVER.stubFor(get(urlPathEqualTo(ME))
                .withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(json(fixture("users_me.json"))));
        serveWarehouses(token, json(warehousesAnswer().toString()));
    }

    public static void serveWarehouses(ObjectNode answer) {
        serveWarehouses(json(answer.toString()));
    }

    public static void serveWarehouses(ResponseDefinitionBuilder answer) {
        serveWarehouses(TOKEN, answer);
    }

    private static void serveWarehouses(String token, ResponseDefinitionBuilder answer) {
        SERVER.stubFor(get(urlPathEqualTo(WAREHOUSES))
                .withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(answer));
    }

    /** The recorded warehouses answer, to be changed by a test. */
    public static ObjectNode warehousesAnswer() {
        try {
            return (ObjectNode) JSON.readTree(fixture("users_233_warehouses.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The warehouses list of an answer from {@link #warehousesAnswer()}. */
    public static ArrayNode warehouses(ObjectNode answer) {
        return (ArrayNode) answer.get("warehouses");
    }

    public static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody(body);
    }

    public static String fixture(String name) {
        try (InputStream in = Upstream.class.getResourceAsStream("/upstream/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
