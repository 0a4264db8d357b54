package co.soukosync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** MANAGEMENT_USER and MANAGEMENT_PASSWORD set (DeploymentSupport, with JMX on): the consoles, behind HTTP basic auth. */
class ManagementIT extends DeploymentSupport {

    private static final String OPS = "Authorization: Basic "
            + Base64.getEncoder().encodeToString(("ops:" + CONSOLE_PASSWORD).getBytes(StandardCharsets.UTF_8));

    @Autowired
    CamelContext camel;

    private HttpResponse<String> call(String path, String user, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
                .send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theConsolesNeedTheManagementCredentials() throws Exception {
        for (String path : new String[] {"/actuator/hawtio/", "/actuator/jolokia", "/actuator/camel"}) {
            assertThat(call(path, null, null).statusCode()).as(path).isEqualTo(401);
            assertThat(call(path, "ops", "wrong").statusCode()).as(path).isEqualTo(401);
            assertThat(call(path, "ops", CONSOLE_PASSWORD).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(call("/actuator/health", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void hawtioServesItsConsoleAndJolokiaShowsTheCamelRoutesAndTheirStatistics() throws Exception {
        patch("/api/syncall");

        HttpResponse<String> hawtio = call("/actuator/hawtio/", "ops", CONSOLE_PASSWORD);
        assertThat(hawtio.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(hawtio.body()).containsIgnoringCase("hawtio");

        // the JMX name is "soukosync", with a suffix when other test contexts took it first
        String routeMBean = "/actuator/jolokia/read/org.apache.camel:context=" + camel.getManagementName()
                + ",type=routes,name=%22sync-run%22/";
        HttpResponse<String> state = call(routeMBean + "State", "ops", CONSOLE_PASSWORD);
        assertThat(JSON.readTree(state.body()).get("value").asText()).as(state.body()).isEqualTo("Started");
        HttpResponse<String> completed = call(routeMBean + "ExchangesCompleted", "ops", CONSOLE_PASSWORD);
        assertThat(JSON.readTree(completed.body()).get("value").asLong()).as(completed.body()).isGreaterThanOrEqualTo(1);

        HttpResponse<String> devConsole = call("/actuator/camel/route", "ops", CONSOLE_PASSWORD);
        assertThat(devConsole.statusCode()).isEqualTo(200);
        assertThat(devConsole.body()).contains("sync-run");
    }

    @Test
    void theDevConsoleServesTheRouteSourcesThatHawtiosSourceTabCannotLoadOffline() throws Exception {
        HttpResponse<String> answer = call("/actuator/camel/source", "ops", CONSOLE_PASSWORD);
        assertThat(answer.statusCode()).isEqualTo(200);

        JsonNode syncRun = null;
        for (JsonNode route : JSON.readTree(answer.body()).path("source").path("routes")) {
            if ("sync-run".equals(route.path("routeId").asText())) {
                syncRun = route;
            }
        }
        assertThat(syncRun).as(answer.body()).isNotNull();
        // a classpath: location, as in the packaged jar, where a wildcard gave unreadable nested: ones
        assertThat(syncRun.path("source").asText()).matches("classpath:routes/[a-z-]+\\.camel\\.yaml:\\d+");
        List<String> lines = new ArrayList<>();
        syncRun.path("code").forEach(line -> lines.add(line.path("code").asText()));
        assertThat(lines).as(brief(syncRun)).anySatisfy(line -> assertThat(line).contains("id: sync-run"));
    }

    @Test
    void healthShowsItsDetailsToTheConsoleUserOnly() throws Exception {
        patch("/api/syncall");
        Upstream.serveWarehouses(aResponse().withStatus(404));
        for (int i = 0; i < 3; i++) {
            patch("/api/syncall");
        }

        // anyone, and a probe that sends credentials of its own (or none that decode): the status only
        for (String[] caller : new String[][] {{}, {"Authorization: Basic " + Base64.getEncoder()
                .encodeToString("probe:probe".getBytes(StandardCharsets.UTF_8))}, {"Authorization: Basic !!!not-base64"},
                {"Authorization: Bearer " + KEY}}) {
            Answer health = raw("GET", "/actuator/health", caller);
            assertThat(health.status()).as(String.join(",", caller)).isEqualTo(503);
            assertThat(health.json().at("/components/syncFreshness/status").asText()).isEqualTo("DOWN");
            assertThat(health.json().findValues("details")).as(health.body()).isEmpty();
            assertThat(raw("GET", "/actuator/health/liveness", caller).status()).isEqualTo(200);
        }

        // the console user: why it is down, the database, the disk
        JsonNode details = raw("GET", "/actuator/health", OPS).json();
        assertThat(details.at("/components/syncFreshness/details/reason").asText()).isEqualTo("the last 3 runs failed: http_404");
        assertThat(details.at("/components/syncFreshness/details/lastOutcomes/0").asText()).isEqualTo("error");
        assertThat(details.at("/components/db/details/database").asText()).isEqualTo("PostgreSQL");
        assertThat(details.at("/components/diskSpace/details/path").isMissingNode()).isFalse();
        assertThat(raw("GET", "/actuator/health/syncFreshness", OPS).json().at("/details/reason").asText()).contains("http_404");
    }

    @Test
    void aStaleMirrorSaysHowOldItsLastSuccessIsToTheConsoleUser() throws Exception {
        jdbc.update("INSERT INTO sync_runs (trigger, started_at, finished_at, outcome) "
                + "VALUES ('schedule', now() - interval '1 hour', now() - interval '1 hour', 'ok')");

        JsonNode health = raw("GET", "/actuator/health", OPS).json();

        assertThat(health.at("/components/syncFreshness/status").asText()).isEqualTo("DOWN");
        assertThat(health.at("/components/syncFreshness/details/reason").asText()).startsWith("the last successful sync is 36");
    }

    @Test
    void aDryRunIsNeverTakenForTheLastSuccess() throws Exception {
        assertThat(patch("/api/syncall?dry_run=true").json().get("response").asText()).isEqualTo("ok");

        JsonNode health = raw("GET", "/actuator/health", OPS).json();
        assertThat(health.at("/components/syncFreshness/details/lastSuccess").asText()).isEqualTo("none");
        assertThat(health.at("/components/syncFreshness/details/lastOutcomes")).isEmpty();
    }

    /** A Jolokia request by POST, as Hawtio sends them, with the console's credentials; the JSON answer. */
    private JsonNode jolokiaPost(String json) throws IOException {
        Answer answer = rawBody("POST", "/actuator/jolokia/", json, OPS, "Content-Type: text/plain");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    /** A Jolokia request by GET (its path notation: "/" inside an argument is written "!/"). */
    private JsonNode jolokiaGet(String path) throws IOException {
        Answer answer = raw("GET", path, OPS);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    /** A Jolokia answer, cut short for an assertion's message (a successful dump is megabytes). */
    private static String brief(JsonNode answer) {
        String text = answer.toString();
        return text.length() > 400 ? text.substring(0, 400) + "…" : text;
    }

    private String routeMBean(String routeId) {
        return "org.apache.camel:context=" + camel.getManagementName() + ",type=routes,name=\\\"" + routeId + "\\\"";
    }

    @Test
    void theConsolePasswordCannotDumpTheHeapByGetOrByPost() throws Exception {
        Path dump = Path.of("target").toAbsolutePath().resolve("jolokia-heap-" + System.nanoTime() + ".hprof");
        try {
            String path = dump.toString().replace("/", "!/");
            for (String prefix : List.of("/actuator/jolokia", "/actuator/hawtio/jolokia")) {
                JsonNode get = jolokiaGet(prefix + "/exec/com.sun.management:type=HotSpotDiagnostic/dumpHeap/" + path + "/true");
                assertThat(get.path("status").asInt()).as(brief(get)).isEqualTo(403);
            }
            JsonNode post = jolokiaPost("{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=HotSpotDiagnostic\","
                    + "\"operation\":\"dumpHeap(java.lang.String,boolean)\",\"arguments\":[\"" + dump + "\",true]}");
            assertThat(post.path("status").asInt()).as(brief(post)).isEqualTo(403);
            assertThat(dump).doesNotExist();
        } finally {
            Files.deleteIfExists(dump);
        }
    }

    @Test
    void theJvmsDiagnosticCommandsAndAttributeWritesAreRefused() throws Exception {
        JsonNode diagnostic = jolokiaPost("{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\","
                + "\"operation\":\"vmSystemProperties\"}");
        assertThat(diagnostic.path("status").asInt()).as(brief(diagnostic)).isEqualTo(403);
        assertThat(diagnostic.toString()).doesNotContain("java.version");

        // the application runs in this JVM: its memory MXBean is the one Jolokia would change
        boolean verbose = ManagementFactory.getMemoryMXBean().isVerbose();
        JsonNode write = jolokiaPost("{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\","
                + "\"value\":" + !verbose + "}");
        assertThat(write.path("status").asInt()).as(brief(write)).isEqualTo(403);
        JsonNode getWrite = jolokiaGet("/actuator/jolokia/write/java.lang:type=Memory/Verbose/" + !verbose);
        assertThat(getWrite.path("status").asInt()).as(brief(getWrite)).isEqualTo(403);
        assertThat(ManagementFactory.getMemoryMXBean().isVerbose()).isEqualTo(verbose);

        JsonNode gc = jolokiaPost("{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc\"}");
        assertThat(gc.path("status").asInt()).as(brief(gc)).isEqualTo(403);
    }

    @Test
    void jolokiaDoesNotConnectTheJvmToAnotherJmxServer() throws Exception {
        try (ServerSocket elsewhere = new ServerSocket(0)) {
            String target = "service:jmx:rmi:///jndi/rmi://localhost:" + elsewhere.getLocalPort() + "/jmxrmi";
            // without the proxy refused, the agent connects and waits for the RMI registry to answer
            CompletableFuture<Answer> answer = CompletableFuture.supplyAsync(() -> rawBody("POST", "/actuator/jolokia/",
                    "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"Name\","
                            + "\"target\":{\"url\":\"" + target + "\"}}", OPS, "Content-Type: text/plain"));
            Answer answered = null;
            try {
                answered = answer.get(30, TimeUnit.SECONDS);
            } catch (TimeoutException waiting) {
                // the agent connected and waits for the registry's answer: the accept below shows it
            }
            elsewhere.setSoTimeout(1000);
            try {
                elsewhere.accept().close();
                throw new AssertionError("Jolokia connected to " + target);
            } catch (SocketTimeoutException expected) {
                // no connection came
            }
            // with the proxy off, the "target" is ignored and this JVM's own MBeans answer
            assertThat(answered).as("no answer within 30 s").isNotNull();
        }
    }

    @Test
    void hawtiosCamelOperationsWorkByPostButNoOperationRunsByGet() throws Exception {
        patch("/api/syncall");
        String route = routeMBean("sync-run");
        String routeMBeanPath = "/actuator/jolokia/read/org.apache.camel:context=" + camel.getManagementName()
                + ",type=routes,name=%22sync-run%22/ExchangesCompleted";
        assertThat(jolokiaGet(routeMBeanPath).path("value").asLong()).isGreaterThanOrEqualTo(1);

        // an operation by GET is refused, even one of Camel's own
        JsonNode getReset = jolokiaGet("/actuator/jolokia/exec/org.apache.camel:context=" + camel.getManagementName()
                + ",type=routes,name=%22sync-run%22/reset()");
        assertThat(getReset.path("status").asInt()).as(brief(getReset)).isEqualTo(403);
        assertThat(jolokiaGet(routeMBeanPath).path("value").asLong()).isGreaterThanOrEqualTo(1);

        // by POST, as Hawtio sends them: the diagram's XML, the statistics, a reset of the route's counters
        String context = "org.apache.camel:context=" + camel.getManagementName() + ",type=context,name=\\\""
                + camel.getName() + "\\\"";
        JsonNode xml = jolokiaPost("{\"type\":\"exec\",\"mbean\":\"" + context + "\",\"operation\":\"dumpRoutesAsXml()\"}");
        assertThat(xml.path("status").asInt()).as(brief(xml)).isEqualTo(200);
        assertThat(xml.path("value").asText()).contains("sync-run");
        JsonNode stats = jolokiaPost("{\"type\":\"exec\",\"mbean\":\"" + context + "\",\"operation\":\"dumpRoutesStatsAsXml\","
                + "\"arguments\":[true,true]}");
        assertThat(stats.path("status").asInt()).as(brief(stats)).isEqualTo(200);
        JsonNode reset = jolokiaPost("{\"type\":\"exec\",\"mbean\":\"" + route + "\",\"operation\":\"reset()\"}");
        assertThat(reset.path("status").asInt()).as(brief(reset)).isEqualTo(200);
        assertThat(jolokiaGet(routeMBeanPath).path("value").asLong()).isZero();

        // but not what would send a message or change a route
        JsonNode send = jolokiaPost("{\"type\":\"exec\",\"mbean\":\"" + context + "\",\"operation\":\"sendStringBody\","
                + "\"arguments\":[\"direct:sync-run\",\"x\"]}");
        assertThat(send.path("status").asInt()).as(brief(send)).isEqualTo(403);
        JsonNode update = jolokiaPost("{\"type\":\"exec\",\"mbean\":\"" + route + "\",\"operation\":\"updateRouteFromXml\","
                + "\"arguments\":[\"<route/>\"]}");
        assertThat(update.path("status").asInt()).as(brief(update)).isEqualTo(403);
    }
}
