package co.soukosync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import co.soukosync.db.ServerPorts;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Pulpo API as a WireMock stub, a JUnit 5 extension that a test class registers with
 * {@code @RegisterExtension} (IntegrationSupport does). Before each test it serves the recorded
 * answers, its mappings and bodies under src/test/resources/wiremock: a password grant, the user,
 * and the user's five warehouses; a data call with another token gets 401. Tests change that
 * with the methods below.
 *
 * <p>The extension stops its server after each test class and starts it again for the next. The
 * port is a free one, taken once per test run: a Spring context cached by an earlier class, and
 * shared with the next, keeps the base URL it was started with.
 */
public final class Upstream {

    public static final String USER = "julio_user1";
    public static final String PASSWORD = "pa55-w0rd-secret";
    public static final String TOKEN = "test-token-1";
    public static final String BASE_PATH = "/api/v1";
    public static final String ME = BASE_PATH + "/iam/users/me";
    public static final String WAREHOUSES = BASE_PATH + "/iam/users/233/warehouses";
    public static final String AUTH = BASE_PATH + "/auth";

    // kept for the JVM's life, the servers stopped and started again: outside the range of port 0
    private static final int PORT = ServerPorts.free();
    private static final int RECEIVER_PORT = ServerPorts.free();

    /** The recorded upstream. */
    public static final WireMockExtension SERVER = WireMockExtension.newInstance()
            .options(wireMockConfig().port(PORT).usingFilesUnderClasspath("wiremock"))
            .build();

    /** Another party: the receiver of the alert webhook (nothing stubbed until a test says). */
    public static final WireMockExtension RECEIVER = WireMockExtension.newInstance()
            .options(wireMockConfig().port(RECEIVER_PORT))
            .build();

    /** Stubs of a variant of the recorded behaviour win over the recorded mappings. */
    private static final int VARIANT = 1;
    static final ObjectMapper JSON = new ObjectMapper();

    private Upstream() {}

    /** The upstream's base URL, as API_BASE_URL gives it (known before the server first starts). */
    public static String baseUrl() {
        return "http://localhost:" + PORT + BASE_PATH;
    }

    /** Where the alert webhook's receiver listens. */
    public static String receiverUrl(String path) {
        return "http://localhost:" + RECEIVER_PORT + path;
    }

    /** The recorded behaviour (the mappings under src/test/resources/wiremock), and no request seen yet. */
    public static void serveRecorded() {
        SERVER.resetAll();
    }

    /** Nothing answers: every request gets WireMock's 404. */
    public static void serveNothing() {
        SERVER.resetAll();
        SERVER.stubFor(any(anyUrl()).atPriority(VARIANT).willReturn(aResponse().withStatus(404)));
    }

    /** The recorded behaviour, but the grant hands out this token and only it is accepted. */
    public static void serveOnlyToken(String token) {
        SERVER.resetAll();
        // a data call with any other token (the recorded one too) is refused, as the real API does
        SERVER.stubFor(get(urlPathMatching(BASE_PATH + "/iam/.*")).atPriority(VARIANT + 1)
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"invalid_token\"}")));
        SERVER.stubFor(post(urlPathEqualTo(AUTH)).atPriority(VARIANT)
                .withRequestBody(equalToJson("{\"grant_type\":\"password\",\"username\":\"" + USER
                        + "\",\"password\":\"" + PASSWORD + "\",\"scope\":\"default\"}"))
                .willReturn(json(fixture("auth_token.json").replace(TOKEN, token))));
        SERVER.stubFor(get(urlPathEqualTo(ME)).atPriority(VARIANT)
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
        SERVER.stubFor(get(urlPathEqualTo(WAREHOUSES)).atPriority(VARIANT)
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

    /** A recorded answer's body (src/test/resources/wiremock/__files). */
    public static String fixture(String name) {
        try (InputStream in = Upstream.class.getResourceAsStream("/wiremock/__files/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
