package co.soukosync.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The sync benchmark (bench/run.sh): the packaged service in its own JVM (-Xmx256m) syncs N
 * warehouses from a stub upstream on loopback into a PostgreSQL of the benchmark's own, and
 * the same data goes the shortest way this machine has (a plain HTTP fetch, COPY into a temp
 * table, one INSERT … SELECT … ON CONFLICT) as the ceiling. Prints, for each N, the medians of
 * three rounds: first sync, unchanged re-sync, all-changed re-sync, the ceiling, the ratios, and
 * the service's peak heap (sampled every 100 ms). SYNC_BATCH_SIZE and the like pass through.
 */
public final class SyncBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path WORK = Path.of("target", "bench").toAbsolutePath();

    private static volatile Path served;

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>(List.of(1_000, 10_000, 100_000));
        if (List.of(args).contains("--million")) {
            sizes.add(1_000_000);
        }
        Files.createDirectories(WORK);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(Files.createTempDirectory(WORK, "pg-")).setCleanDataDirectory(true).start()) {
            HttpServer upstream = stubUpstream();
            int apiPort = freePort();
            Process service = startService(postgres.getPort(), upstream.getAddress().getPort(), apiPort);
            try {
                waitUntilUp(apiPort, service);
                System.out.printf("%n%-9s %10s %10s %10s %10s %12s %12s %10s%n", "N", "first s", "unchanged s",
                        "changed s", "ceiling s", "first/ceil", "unch/first", "peak heap");
                // warm-up: the first sync of a fresh JVM pays for class loading and compilation
                served = generate(1_000, "");
                sync(apiPort);
                List<String> lines = new ArrayList<>();
                for (int n : sizes) {
                    lines.add(measure(n, postgres.getPostgresDatabase(), apiPort));
                }
                Path results = WORK.resolve("results.txt");
                Files.write(results, lines);
                System.out.println("\n(also in " + results + ")");
            } finally {
                service.destroy();
                upstream.stop(0);
            }
        }
    }

    /** Each figure is the median of three rounds, the ceiling's too: a 2-core machine is noisy. */
    private static String measure(int n, DataSource db, int apiPort) throws Exception {
        final int ROUNDS = n >= 1_000_000 ? 1 : 3; // a million is measured once: it takes minutes
        Path first = generate(n, "");
        Path changed = generate(n, " v2");
        double[] firsts = new double[ROUNDS];
        double[] unchangeds = new double[ROUNDS];
        double[] changeds = new double[ROUNDS];
        double[] ceilings = new double[ROUNDS];
        long peak = 0;
        for (int round = 0; round < ROUNDS; round++) {
            reset(db);
            served = first;
            Run initial = sync(apiPort);
            Run unchanged = sync(apiPort);
            served = changed;
            Run allChanged = sync(apiPort);
            check(initial, n, "inserted");
            check(unchanged, n, "unchanged");
            check(allChanged, n, "updated");
            firsts[round] = initial.seconds;
            unchangeds[round] = unchanged.seconds;
            changeds[round] = allChanged.seconds;
            peak = Math.max(peak, Math.max(initial.peakHeap, Math.max(unchanged.peakHeap, allChanged.peakHeap)));

            reset(db);
            served = first;
            ceilings[round] = ceiling(db, apiPortUpstream);
        }
        double firstS = median(firsts);
        double unchangedS = median(unchangeds);
        double ceiling = median(ceilings);
        String line = String.format(Locale.ROOT, "%-9d %10.2f %10.2f %10.2f %10.2f %11.2fx %11.2fx %8d MB", n,
                firstS, unchangedS, median(changeds), ceiling, firstS / ceiling, unchangedS / firstS,
                peak / (1024 * 1024));
        System.out.println(line);
        Files.deleteIfExists(first);
        Files.deleteIfExists(changed);
        return line;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private record Run(double seconds, JsonNode answer, long peakHeap) {}

    /** PATCH /api/syncall, timed from the outside, with the service's heap sampled meanwhile. */
    private static Run sync(int apiPort) throws Exception {
        AtomicLong peak = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(heapUsed(apiPort), Math::max), 0, 100,
                TimeUnit.MILLISECONDS);
        long start = System.nanoTime();
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/api/syncall"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofMinutes(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        double seconds = (System.nanoTime() - start) / 1e9;
        sampler.shutdownNow();
        sampler.awaitTermination(5, TimeUnit.SECONDS);
        peak.accumulateAndGet(heapUsed(apiPort), Math::max);
        JsonNode json = JSON.readTree(answer.body());
        if (!"ok".equals(json.path("response").asText())) {
            throw new IllegalStateException("the sync failed: " + answer.body());
        }
        return new Run(seconds, json, peak.get());
    }

    private static void check(Run run, int n, String change) {
        long count = run.answer.at("/counts/warehouses/" + change).asLong();
        if (count != n) {
            throw new IllegalStateException("expected " + n + " warehouses " + change + ", the run says " + run.answer);
        }
    }

    private static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{area=\"heap\",[^}]*} (\\S+)$", Pattern.MULTILINE);

    private static long heapUsed(int apiPort) {
        try {
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/actuator/prometheus"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            long used = 0;
            Matcher m = HEAP.matcher(metrics);
            while (m.find()) {
                used += (long) Double.parseDouble(m.group(1));
            }
            return used;
        } catch (IOException | InterruptedException e) {
            return 0;
        }
    }

    private static int apiPortUpstream;

    /** The shortest way: fetch, COPY into a temp table, one upsert and one link insert. */
    private static double ceiling(DataSource db, int upstreamPort) throws Exception {
        long start = System.nanoTime();
        try (Connection connection = db.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement sql = connection.createStatement()) {
                sql.execute("CREATE TEMP TABLE incoming (id bigint, name text, line1 text, line2 text, site text, city text, "
                        + "state text, zip_code text, country text, fax text, phone text, tenant_id bigint, active boolean, "
                        + "priority integer, raw jsonb) ON COMMIT DROP");
            }
            CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY incoming FROM STDIN (FORMAT csv)");
            HttpResponse<InputStream> answer = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + upstreamPort + "/api/v1/iam/users/1/warehouses")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (JsonParser parser = JSON.getFactory().createParser(answer.body())) {
                while (parser.nextToken() != null) {
                    if (parser.currentToken() == JsonToken.FIELD_NAME && "warehouses".equals(parser.currentName())) {
                        parser.nextToken();
                        StringBuilder rows = new StringBuilder();
                        while (parser.nextToken() == JsonToken.START_OBJECT) {
                            JsonNode w = JSON.readTree(parser);
                            rows.append(csv(w, "id")).append(',').append(csv(w, "name")).append(',').append(csv(w, "line1"))
                                    .append(',').append(csv(w, "line2")).append(',').append(csv(w, "site")).append(',')
                                    .append(csv(w, "city")).append(',').append(csv(w, "state")).append(',')
                                    .append(csv(w, "zip_code")).append(',').append(csv(w, "country")).append(',')
                                    .append(csv(w, "fax")).append(',').append(csv(w, "phone")).append(',')
                                    .append(csv(w, "tenant_id")).append(',').append(csv(w, "active")).append(',')
                                    .append(csv(w, "priority")).append(',').append(quote(w.toString())).append('\n');
                            if (rows.length() > 1 << 16) {
                                byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
                                copy.writeToCopy(bytes, 0, bytes.length);
                                rows.setLength(0);
                            }
                        }
                        byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
                        copy.writeToCopy(bytes, 0, bytes.length);
                    }
                }
            }
            copy.endCopy();
            try (Statement sql = connection.createStatement()) {
                sql.execute("INSERT INTO users (id, username, email, employee_id, first_name, last_name, raw) "
                        + "VALUES (1, 'bench', 'b@x', 'E', 'B', 'U', '{}') ON CONFLICT (id) DO NOTHING");
                sql.execute("INSERT INTO warehouses AS w (id, name, line1, line2, site, city, state, zip_code, country, fax, "
                        + "phone, tenant_id, active, priority, raw) SELECT * FROM incoming ON CONFLICT (id) DO UPDATE SET "
                        + "name = EXCLUDED.name, line1 = EXCLUDED.line1, line2 = EXCLUDED.line2, site = EXCLUDED.site, "
                        + "city = EXCLUDED.city, state = EXCLUDED.state, zip_code = EXCLUDED.zip_code, "
                        + "country = EXCLUDED.country, fax = EXCLUDED.fax, phone = EXCLUDED.phone, "
                        + "tenant_id = EXCLUDED.tenant_id, active = EXCLUDED.active, priority = EXCLUDED.priority, "
                        + "raw = EXCLUDED.raw, updated_at = now()");
                sql.execute("INSERT INTO users_warehouses (user_id, warehouse_id) SELECT 1, id FROM incoming ON CONFLICT DO NOTHING");
            }
            connection.commit();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static String csv(JsonNode record, String field) {
        JsonNode value = record.get(field);
        return value == null || value.isNull() ? "" : quote(value.asText());
    }

    private static String quote(String text) {
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    private static void reset(DataSource db) throws Exception {
        try (Connection connection = db.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("TRUNCATE users, warehouses, users_warehouses, sync_runs CASCADE");
            sql.execute("VACUUM ANALYZE");
        }
    }

    /** The user's warehouses answer with n warehouses, in the recorded shape. */
    private static Path generate(int n, String suffix) throws IOException {
        Path file = WORK.resolve("warehouses-" + n + (suffix.isEmpty() ? "" : "-changed") + ".json");
        try (JsonGenerator out = new JsonFactory().createGenerator(file.toFile(), com.fasterxml.jackson.core.JsonEncoding.UTF8)) {
            out.writeStartObject();
            out.writeArrayFieldStart("warehouses");
            for (int i = 1; i <= n; i++) {
                out.writeStartObject();
                out.writeBooleanField("active", true);
                out.writeStringField("city", "City " + (i % 500));
                out.writeStringField("country", "Country " + (i % 50));
                out.writeNullField("fax");
                out.writeNumberField("id", i);
                out.writeStringField("line1", i + " Warehouse Street");
                out.writeNullField("line2");
                out.writeStringField("name", "warehouse_" + i + suffix);
                out.writeStringField("phone", "555-" + i);
                out.writeNumberField("priority", i % 1000);
                out.writeStringField("site", "Site " + (i % 20));
                out.writeStringField("state", "State " + (i % 30));
                out.writeNumberField("tenant_id", 137);
                out.writeStringField("zip_code", String.format("%05d", i % 100000));
                out.writeEndObject();
            }
            out.writeEndArray();
            writeUser(out);
            out.writeEndObject();
        }
        return file;
    }

    private static void writeUser(JsonGenerator out) throws IOException {
        out.writeBooleanField("active", true);
        out.writeStringField("email", "bench@example.com");
        out.writeStringField("employee_id", "E-1");
        out.writeStringField("first_name", "Bench");
        out.writeNumberField("id", 1);
        out.writeStringField("last_name", "Mark");
        out.writeNumberField("tenant_id", 137);
        out.writeStringField("type", "admin");
        out.writeStringField("username", "bench");
    }

    private static HttpServer stubUpstream() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/api/v1/auth", exchange -> answer(exchange,
                "{\"access_token\":\"bench-token\",\"expires_in\":43200,\"scope\":\"default\",\"token_type\":\"bearer\"}"));
        server.createContext("/api/v1/iam/users/me", exchange -> {
            StringBuilder user = new StringBuilder("{\"warehouses\":[],");
            user.append("\"active\":true,\"email\":\"bench@example.com\",\"employee_id\":\"E-1\",\"first_name\":\"Bench\",")
                    .append("\"id\":1,\"last_name\":\"Mark\",\"tenant_id\":137,\"type\":\"admin\",\"username\":\"bench\"}");
            answer(exchange, user.toString());
        });
        server.createContext("/api/v1/iam/users/1/warehouses", exchange -> {
            File file = served.toFile();
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(200, file.length());
            try (OutputStream body = exchange.getResponseBody()) {
                Files.copy(file.toPath(), body);
            }
        });
        server.start();
        apiPortUpstream = server.getAddress().getPort();
        return server;
    }

    private static void answer(HttpExchange exchange, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(bytes);
        }
    }

    private static Process startService(int dbPort, int upstreamPort, int apiPort) throws IOException {
        Path jar;
        try (var jars = Files.list(Path.of("target"))) {
            jar = jars.filter(p -> p.getFileName().toString().matches("soukosync-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no jar in target/: run ./mvnw package first"));
        }
        ProcessBuilder service = new ProcessBuilder("java", "-Xmx256m", "-jar", jar.toAbsolutePath().toString())
                .directory(WORK.toFile())
                .redirectErrorStream(true)
                .redirectOutput(WORK.resolve("service.log").toFile());
        var env = service.environment();
        env.put("DB_HOST", "127.0.0.1");
        env.put("DB_PORT", String.valueOf(dbPort));
        env.put("DB_DB", "postgres");
        env.put("DB_USER", "postgres");
        env.put("DB_PASSWORD", "");
        env.put("API_BASE_URL", "http://127.0.0.1:" + upstreamPort + "/api/v1");
        env.put("API_USER", "bench");
        env.put("API_PASSWORD", "bench");
        env.put("SYNC_SCHEDULE_ENABLED", "false");
        env.put("MY_API_PORT", String.valueOf(apiPort));
        env.put("SYNC_CALL_WAIT_SECONDS", "1800");
        return service.start();
    }

    private static void waitUntilUp(int apiPort, Process service) {
        Awaitility.await("the service (see " + WORK.resolve("service.log") + ")")
                .atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    if (!service.isAlive()) {
                        throw new IllegalStateException("the service stopped; see " + WORK.resolve("service.log"));
                    }
                    try {
                        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort
                                + "/actuator/health/liveness")).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode() == 200;
                    } catch (IOException e) {
                        return false; // not up yet
                    }
                });
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private SyncBenchmark() {}
}
