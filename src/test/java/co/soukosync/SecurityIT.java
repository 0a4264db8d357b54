package co.soukosync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The service attacked as an operator's worst week would: the API key, the consoles and every
 * secret, with the key, the consoles and a manual token all configured, on a database with a
 * password (DeploymentSupport).
 */
@ExtendWith(OutputCaptureExtension.class)
class SecurityIT extends DeploymentSupport {

    private static final String OPS = "Authorization: Basic "
            + Base64.getEncoder().encodeToString(("ops:" + CONSOLE_PASSWORD).getBytes(StandardCharsets.UTF_8));

    @Autowired
    CamelContext camel;

    @Autowired
    LoggingSystem logging;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "/%61pi/syncall", "/ap%69/syncall", "/%2561pi/syncall", "/api/%73yncall", "//api/syncall",
            "/API/syncall", "/api;x/syncall", "/api/syncall;x", "/api/./syncall", "/x/../api/syncall",
            "/api%2fsyncall", "/api/%2e/syncall", "/api//syncall", "/Api/syncall", "/api/syncall/",
    })
    void noSpellingOfTheApiPathGetsPastTheKey(String path) {
        Answer answer = raw("PATCH", path);

        assertThat(answer.status()).as("%s answered %s", path, answer.body()).isBetween(400, 499);
        assertThat(answer.contentType()).as(path).startsWith("application/json");
        assertThat(answer.json().get("response").asText()).isEqualTo("error");
        assertThat(count("SELECT count(*) FROM sync_runs")).as("runs after %s", path).isZero();
        assertThat(Upstream.SERVER.getAllServeEvents()).as("upstream calls after %s", path).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/%61pi/users", "/ap%69/synlast", "/api/%77arehouses", "/%61pi/openapi.json/../users"})
    void noSpellingOfTheApiPathReadsTheMirror(String path) {
        raw("PATCH", "/api/syncall"); // without the key: refused, nothing to read either way
        jdbc.update("INSERT INTO users (id, username, email, employee_id, first_name, last_name, raw) "
                + "VALUES (7, 'secret-user', 'e', 'E', 'F', 'L', '{}')");

        Answer answer = raw("GET", path);

        assertThat(answer.status()).as(path).isBetween(400, 499);
        assertThat(answer.body()).doesNotContain("secret-user");
    }

    @Test
    void theKeyStillOpensTheApi() {
        Answer answer = raw("PATCH", "/api/syncall", "Authorization: Bearer " + KEY);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("data").asText()).isEqualTo("6 upserted");
    }

    @Test
    void probesThatAlwaysSendBasicAuthGetTheOpenPaths() {
        for (String header : List.of("Authorization: Basic " + Base64.getEncoder().encodeToString("probe:probe".getBytes(StandardCharsets.UTF_8)),
                OPS, "Authorization: Basic !!!not-base64")) {
            assertThat(raw("GET", "/actuator/health/liveness", header).status()).as(header).isEqualTo(200);
            assertThat(raw("GET", "/actuator/prometheus", header).status()).as(header).isEqualTo(200);
        }
    }

    @Test
    void aForeignOriginNeverReachesJolokiaEvenWithTheOperatorsCredentials() {
        patch("/api/syncall");
        String mbean = "org.apache.camel:context=" + camel.getManagementName() + ",type=routes,name=\\\"sync-run\\\"";
        String reset = "{\"type\":\"exec\",\"mbean\":\"" + mbean + "\",\"operation\":\"reset()\"}";
        long before = completed("sync-run");

        // what a page on another origin makes the operator's browser send (a "simple" request, no preflight)
        for (String[] forged : new String[][] {
                {"Origin: http://evil.example", "Content-Type: text/plain"},
                {"Origin: null", "Content-Type: text/plain"},
                {"Sec-Fetch-Site: cross-site", "Content-Type: text/plain"},
                {"Origin: http://localhost:" + port + ".evil.example", "Content-Type: text/plain"},
        }) {
            Answer answer = rawBody("POST", "/actuator/jolokia/", reset, OPS, forged[0], forged[1]);
            assertThat(answer.status()).as("%s: %s", forged[0], answer.body()).isEqualTo(403);
            assertThat(answer.contentType()).startsWith("application/json");
        }
        Answer read = raw("GET", "/actuator/jolokia/version", OPS, "Origin: http://evil.example");
        assertThat(read.status()).isEqualTo(403);
        assertThat(read.body()).doesNotContain("evil.example");
        assertThat(completed("sync-run")).as("the forged reset() changed nothing").isEqualTo(before);

        // the console's own page, same origin, still works
        Answer own = rawBody("POST", "/actuator/jolokia/", reset, OPS, "Origin: http://localhost:" + port,
                "Content-Type: text/plain");
        assertThat(own.status()).as(own.body()).isEqualTo(200);
        assertThat(completed("sync-run")).isZero();
    }

    @Test
    void noConsoleJolokiaReadLogOrAnswerShowsASecret() {
        StringBuilder seen = new StringBuilder();
        seen.append(raw("PATCH", "/api/syncall", "Authorization: Bearer " + KEY).body());
        seen.append(raw("GET", "/api/synlast", "Authorization: Bearer " + KEY).body());
        Answer consoles = raw("GET", "/actuator/camel", OPS);
        assertThat(consoles.status()).isEqualTo(200);
        // every console once: /actuator/camel/all answers each under its id, as /actuator/camel/{id} does
        // (the same call with the same options; {id} answers every console whose id is part of it too,
        // so that route-dump's answer has route's)
        Answer all = raw("GET", "/actuator/camel/all", OPS);
        assertThat(all.json().fieldNames()).toIterable().containsAll(() -> consoles.json().fieldNames());
        seen.append(all.body());
        for (String read : List.of("/actuator/jolokia/read/org.apache.camel:*", "/actuator/jolokia/read/java.lang:type=Runtime",
                "/actuator/jolokia/read/com.zaxxer.hikari:*", "/actuator/jolokia/list")) {
            Answer answer = raw("GET", read, OPS);
            assertThat(answer.status()).as(read).isEqualTo(200);
            seen.append(answer.body());
        }
        String dump = "{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context=" + camel.getManagementName()
                + ",type=context,name=\\\"" + camel.getName() + "\\\"\",\"operation\":\"dumpRoutesAsXml(boolean)\",\"arguments\":[true]}";
        seen.append(rawBody("POST", "/actuator/jolokia/", dump, OPS, "Content-Type: text/plain").body());
        seen.append(rows("SELECT * FROM sync_runs"));

        assertThat(seen.toString()).contains("sync-run"); // the crawl did reach the consoles
        for (String secret : List.of(DB_PASSWORD, Upstream.PASSWORD, Upstream.TOKEN, KEY, CONSOLE_PASSWORD)) {
            assertThat(seen.toString()).as("a console, read or answer shows a secret").doesNotContain(secret);
        }
    }

    @Test
    void noSecretReachesAnyLogLineEvenWithEveryLoggerAtTrace(CapturedOutput output) {
        try (EveryLoggerAtTrace trace = new EveryLoggerAtTrace(logging)) {
            assertThat(raw("PATCH", "/api/syncall", "Authorization: Bearer " + KEY).status()).isEqualTo(200);
            assertThat(raw("GET", "/actuator/jolokia/version", OPS).status()).isEqualTo(200);
            assertThat(raw("GET", "/actuator/camel/route", OPS).status()).isEqualTo(200);
        }

        String log = output.getAll();
        // the capture did see the requests and the upstream calls
        assertThat(log).contains(" TRACE ").contains("/api/syncall").contains(Upstream.WAREHOUSES).contains("/actuator/jolokia");
        for (String secret : List.of(KEY, CONSOLE_PASSWORD, OPS.substring(OPS.lastIndexOf(' ') + 1).replace("=", ""),
                Upstream.TOKEN, DB_PASSWORD)) {
            assertThat(log).as("a log line at TRACE").doesNotContain(secret);
        }
    }

    private long completed(String routeId) {
        return camel.getCamelContextExtension().getContextPlugin(org.apache.camel.api.management.ManagedCamelContext.class)
                .getManagedRoute(routeId).getExchangesCompleted();
    }
}
