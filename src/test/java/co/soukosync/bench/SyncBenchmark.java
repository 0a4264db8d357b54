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
import java.io.BufferedWriter;
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
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * The benchmark (bench/run.sh): the packaged service in its own JVM (-Xmx256m) syncs N
 * warehouses from a stub upstream on loopback into a PostgreSQL of the benchmark's own, and
 * every figure is set beside this machine's FLOOR for the same data, measured in the same run:
 * the answer fetched with curl into a file, and, after it is turned into CSV (not timed),
 * psql's \copy into a temp table and one INSERT … ON CONFLICT: transfer and load, no parsing.
 * Also printed: the CEILING (the same in one JVM, parsing the JSON as the service must), the
 * change log's cost (a second service with SYNC_CHANGE_LOG=false), the WAL an unchanged re-sync
 * writes, the service's peak heap, the run that changes all N read back through the change feed
 * (GET /api/changes, pages of 1,000: "feed", and its ratio to that run, "feed/ch"), reads at
 * scale (wrk), and the time from `java -jar` to ready.
 * The service runs with the JVM options of the image (C1 only, see serviceJvm); --default-jit
 * runs it with the JVM's default tiered compilation instead, to compare the two.
 */
public final class SyncBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path WORK = Path.of("target", "bench").toAbsolutePath();
    private static final Path JAR = jar();

    /** The image's JIT choice (Dockerfile): the C1 compiler only, no C2 competing for 2 cores at start. */
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

    /** The warehouses answer the stub upstream serves now (KafkaDeliveryBenchmark uses this stub too). */
    static volatile Path served;
    /** Per size: the first sync's changes read back through the change feed. */
    private static final List<String> feedOfFirst = new ArrayList<>();
    private static int upstreamPort;
    /** The service's JVM options: -Xmx256m and the image's C1_ONLY, or the JVM's default (--default-jit). */
    private static List<String> serviceJvm = List.of("-Xmx256m", C1_ONLY);
    /** --jfr: each service started for the syncs records a Java Flight Recording (profile settings) into target/bench/<its log>.jfr. */
    private static boolean flightRecording;

    public static void main(String[] args) throws Exception {
        List<String> options = List.of(args);
        if (options.contains("--default-jit")) {
            serviceJvm = List.of("-Xmx256m");
        }
        flightRecording = options.contains("--jfr");
        List<Integer> sizes = new ArrayList<>(options.contains("--quick") ? List.of(100_000) : List.of(1_000, 10_000, 100_000));
        if (options.contains("--million")) {
            sizes.add(1_000_000);
        }
        Files.createDirectories(WORK);
        System.out.println(machine() + ", service JVM " + String.join(" ", serviceJvm));
        List<String> lines = new ArrayList<>();
        EmbeddedPostgres.Builder server = EmbeddedPostgres.builder()
                .setDataDirectory(Files.createTempDirectory(WORK, "pg-")).setCleanDataDirectory(true)
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                // --slow-statements: PostgreSQL logs every statement over 100 ms, to see where a run
                // spends its time (this and --explain write PostgreSQL's log to target/bench/postgres.log)
                .setServerConfig("log_min_duration_statement", options.contains("--slow-statements") ? "100" : "-1");
        if (options.contains("--explain")) {
            // --explain: the plan of every statement over 50 ms, with each node's time and rows
            // (auto_explain; timing every node slows the statements down)
            server.setServerConfig("shared_preload_libraries", "auto_explain")
                    .setServerConfig("auto_explain.log_min_duration", "50")
                    .setServerConfig("auto_explain.log_analyze", "on")
                    .setServerConfig("auto_explain.log_buffers", "on")
                    .setServerConfig("auto_explain.log_nested_statements", "on");
        }
        if (options.contains("--explain") || options.contains("--slow-statements")) {
            server.setErrorRedirector(ProcessBuilder.Redirect.appendTo(WORK.resolve("postgres.log").toFile()))
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(WORK.resolve("postgres.log").toFile()));
        }
        try (EmbeddedPostgres postgres = server.start()) {
            HttpServer upstream = stubUpstream();
            DataSource db = postgres.getPostgresDatabase();
            // --sync-only: the syncs alone, for trying a change quickly
            boolean syncOnly = options.contains("--sync-only");
            if (!syncOnly) {
                lines.addAll(startUp(postgres.getPort()));
            }
            // --startup-only: the start-up figures alone
            if (options.contains("--startup-only")) {
                upstream.stop(0);
                Files.write(WORK.resolve("results.txt"), lines);
                return;
            }
            int withLog = freePort();
            int withoutLog = freePort();
            Process service = startService(postgres.getPort(), withLog, Map.of(), "service.log");
            Process noLog = startService(postgres.getPort(), withoutLog, Map.of("SYNC_CHANGE_LOG", "false"), "service-nolog.log");
            try {
                waitUntilUp(withLog, service);
                waitUntilUp(withoutLog, noLog);
                // warm-up: the first syncs of a fresh JVM pay for class loading and compilation
                served = generate(1_000, "");
                for (int i = 0; i < 3; i++) {
                    reset(db);
                    sync(withLog);
                    reset(db);
                    sync(withoutLog);
                }
                String header = String.format(Locale.ROOT,
                        "%-9s %7s %7s %7s %7s %7s %7s %7s %7s | %7s %7s %7s %7s %7s | %7s %7s %7s | %8s %9s %9s",
                        "N", "floor", "pfloor", "ceil", "first", "unch", "chang", "nolog", "feed", "first/f", "unch/f", "unch/1st",
                        "log+", "feed/ch", "cold/pf", "1st/pf", "unch/pf", "WAL unch", "peak heap", "pfloor s");
                System.out.println("\nseconds (medians); ratios to the floor of the same run (f: into the project's own"
                        + " warehouses table, as issue 14 measured it; pf: into a plain table, issue 23's floor); cold: the"
                        + " first round's first sync (for the first size, the first sync of that size since the service"
                        + " started, after a warm-up on 1,000)\n" + header);
                lines.add(header);
                for (int n : sizes) {
                    String line = measure(n, postgres, db, withLog, withoutLog);
                    System.out.println(line);
                    lines.add(line);
                }
                feedOfFirst.forEach(System.out::println);
                lines.addAll(feedOfFirst);
                if (!syncOnly) {
                    lines.addAll(reads(db, withLog, sizes.get(sizes.size() - 1)));
                }
            } finally {
                service.destroy();
                noLog.destroy();
                if (flightRecording) { // the recordings are written as the services stop
                    service.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
                    noLog.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
                }
                upstream.stop(0);
            }
        }
        Path results = WORK.resolve("results.txt");
        Files.write(results, lines);
        System.out.println("\n(also in " + results + ")");
    }

    /** Each figure is the median of three rounds (one for a million): a 2-core machine is noisy. */
    private static String measure(int n, EmbeddedPostgres postgres, DataSource db, int withLog, int withoutLog) throws Exception {
        int rounds = n >= 1_000_000 ? 1 : 3;
        Path first = generate(n, "");
        Path changed = generate(n, " v2");
        Path csv = csv(first);
        double[] floors = new double[rounds];
        double[] plainFloors = new double[rounds];
        double[] ceilings = new double[rounds];
        double[] firsts = new double[rounds];
        double[] unchangeds = new double[rounds];
        double[] changeds = new double[rounds];
        double[] noLogs = new double[rounds];
        double[] feeds = new double[rounds];
        double[] firstFeeds = new double[rounds];
        long wal = 0;
        long peak = 0;
        for (int round = 0; round < rounds; round++) {
            reset(db);
            floors[round] = floor(postgres, csv, "warehouses");
            plainFloors[round] = floor(postgres, csv, "plain_floor");
            reset(db);
            served = first;
            ceilings[round] = ceiling(db);

            reset(db);
            served = first;
            Run noLog = sync(withoutLog);
            check(noLog, n, "inserted");
            noLogs[round] = noLog.seconds;

            reset(db);
            long beforeFirst = lastSeq(db);
            Run initial = sync(withLog);
            long lsn = walPosition(db);
            Run unchanged = sync(withLog);
            wal = Math.max(wal, walPosition(db) - lsn);
            served = changed;
            long before = lastSeq(db);
            Run allChanged = sync(withLog);
            feeds[round] = readFeed(withLog, before, n);
            // the first sync's n inserts (each with its fields, taken back past the update above) and n links
            firstFeeds[round] = readFeed(withLog, beforeFirst, 2 * n);
            check(initial, n, "inserted");
            check(unchanged, n, "unchanged");
            check(allChanged, n, "updated");
            firsts[round] = initial.seconds;
            unchangeds[round] = unchanged.seconds;
            changeds[round] = allChanged.seconds;
            peak = Math.max(peak, Math.max(initial.peakHeap, Math.max(unchanged.peakHeap, allChanged.peakHeap)));
        }
        served = first;
        reset(db);
        sync(withLog); // leaves N warehouses mirrored for the reads
        double floor = median(floors);
        double plainFloor = median(plainFloors);
        double firstS = median(firsts);
        double unchangedS = median(unchangeds);
        feedOfFirst.add(String.format(Locale.ROOT, "%-9d first sync's %d changes read through the feed: %.2f s, %.2fx that run",
                n, 2 * n, median(firstFeeds), ratioMedian(firstFeeds, firsts)));
        String line = String.format(Locale.ROOT,
                "%-9d %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f | %6.2fx %6.2fx %8.2fx %6.0f%% %6.2fx | %6.2fx %6.2fx %6.2fx"
                        + " | %6d kB %6d MB %s", n, floor, plainFloor,
                median(ceilings), firstS, unchangedS, median(changeds), median(noLogs), median(feeds), firstS / floor,
                unchangedS / floor, unchangedS / firstS, (firstS / median(noLogs) - 1) * 100,
                ratioMedian(feeds, changeds), firsts[0] / plainFloor, firstS / plainFloor, unchangedS / plainFloor,
                wal / 1024, peak / (1024 * 1024),
                Arrays.toString(Arrays.stream(plainFloors).map(f -> Math.round(f * 100) / 100.0).toArray()));
        Files.deleteIfExists(first);
        Files.deleteIfExists(changed);
        Files.deleteIfExists(csv);
        return line;
    }

    /**
     * The floor: curl fetches the answer into a file (timed); the file is turned into CSV (not
     * timed); psql copies the CSV into a temp table and upserts it in one statement (timed), into
     * {@code table}: "warehouses", the project's own (emptied by reset: its generated digest
     * column and indexes are paid by the floor, as issue 14 measured it), or "plain_floor", made
     * again empty here (not timed): the id as primary key, the 14 columns, raw jsonb and two
     * timestamps, nothing else (issue 23's floor: what the project's table adds is the project's cost).
     */
    private static double floor(EmbeddedPostgres postgres, Path csv, String table) throws Exception {
        if (table.equals("plain_floor")) {
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                    Statement sql = connection.createStatement()) {
                sql.execute("DROP TABLE IF EXISTS plain_floor");
                sql.execute("CREATE TABLE plain_floor (id bigint PRIMARY KEY, name text, line1 text, line2 text, site text,"
                        + " city text, state text, zip_code text, country text, fax text, phone text, tenant_id bigint,"
                        + " active boolean, priority integer, raw jsonb, created_at timestamptz NOT NULL DEFAULT now(),"
                        + " updated_at timestamptz NOT NULL DEFAULT now())");
            }
        }
        Path fetched = WORK.resolve("fetched.json");
        long start = System.nanoTime();
        run(List.of("curl", "-s", "-o", fetched.toString(), "http://127.0.0.1:" + upstreamPort + "/api/v1/iam/users/1/warehouses"));
        double fetch = (System.nanoTime() - start) / 1e9;
        Files.deleteIfExists(fetched);
        Path script = WORK.resolve("floor.sql");
        Files.writeString(script, String.join("\n",
                "BEGIN;",
                "CREATE TEMP TABLE incoming (id bigint, name text, line1 text, line2 text, site text, city text, state text,"
                        + " zip_code text, country text, fax text, phone text, tenant_id bigint, active boolean, priority integer,"
                        + " raw jsonb) ON COMMIT DROP;",
                "\\copy incoming FROM '" + csv + "' WITH (FORMAT csv)",
                "INSERT INTO " + table + " AS w (id, name, line1, line2, site, city, state, zip_code, country, fax, phone,"
                        + " tenant_id, active, priority, raw) SELECT * FROM incoming ON CONFLICT (id) DO UPDATE SET"
                        + " name = EXCLUDED.name, line1 = EXCLUDED.line1, line2 = EXCLUDED.line2, site = EXCLUDED.site,"
                        + " city = EXCLUDED.city, state = EXCLUDED.state, zip_code = EXCLUDED.zip_code,"
                        + " country = EXCLUDED.country, fax = EXCLUDED.fax, phone = EXCLUDED.phone,"
                        + " tenant_id = EXCLUDED.tenant_id, active = EXCLUDED.active, priority = EXCLUDED.priority,"
                        + " raw = EXCLUDED.raw, updated_at = now();",
                "COMMIT;", ""));
        start = System.nanoTime();
        run(List.of("psql", "-q", "-X", "-v", "ON_ERROR_STOP=1", "-h", "localhost", "-p", String.valueOf(postgres.getPort()),
                "-U", "postgres", "-d", "postgres", "-f", script.toString()));
        return fetch + (System.nanoTime() - start) / 1e9;
    }

    /** The ceiling: the same in one JVM that parses the JSON, as the service must, and COPYs it. */
    private static double ceiling(DataSource db) throws Exception {
        long start = System.nanoTime();
        try (Connection connection = db.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement sql = connection.createStatement()) {
                sql.execute("CREATE TEMP TABLE incoming (id bigint, name text, line1 text, line2 text, site text, city text, "
                        + "state text, zip_code text, country text, fax text, phone text, tenant_id bigint, active boolean, "
                        + "priority integer, raw jsonb) ON COMMIT DROP");
            }
            CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY incoming FROM STDIN (FORMAT csv)");
            HttpResponse<InputStream> answer = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + upstreamPort + "/api/v1/iam/users/1/warehouses")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (JsonParser parser = JSON.getFactory().createParser(answer.body())) {
                StringBuilder rows = new StringBuilder();
                while (parser.nextToken() != null) {
                    if (parser.currentToken() == JsonToken.FIELD_NAME && "warehouses".equals(parser.currentName())) {
                        parser.nextToken();
                        while (parser.nextToken() == JsonToken.START_OBJECT) {
                            csvRow(rows, JSON.readTree(parser));
                            if (rows.length() > 1 << 16) {
                                byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
                                copy.writeToCopy(bytes, 0, bytes.length);
                                rows.setLength(0);
                            }
                        }
                    }
                }
                byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
                copy.writeToCopy(bytes, 0, bytes.length);
            }
            copy.endCopy();
            try (Statement sql = connection.createStatement()) {
                sql.execute("INSERT INTO warehouses AS w (id, name, line1, line2, site, city, state, zip_code, country, fax, "
                        + "phone, tenant_id, active, priority, raw) SELECT * FROM incoming ON CONFLICT (id) DO UPDATE SET "
                        + "name = EXCLUDED.name, raw = EXCLUDED.raw, updated_at = now()");
            }
            connection.commit();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Reads at scale: one page (1,000 rows) timed whole, and single warehouses under wrk (p99). */
    private static List<String> reads(DataSource db, int apiPort, int n) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("\nreads with " + n + " warehouses mirrored");
        double[] pages = new double[5];
        for (int i = 0; i < pages.length; i++) {
            long start = System.nanoTime();
            HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort
                    + "/api/warehouses?limit=1000&after=" + (n / 2 + i * 1000))).build(), HttpResponse.BodyHandlers.ofString());
            pages[i] = (System.nanoTime() - start) / 1e9;
            if (page.statusCode() != 200) {
                throw new IllegalStateException("page: " + page.statusCode());
            }
        }
        lines.add(String.format(Locale.ROOT, "GET /api/warehouses?limit=1000&after=…: slowest of 5 %.3f s, median %.3f s",
                Arrays.stream(pages).max().orElse(0), median(pages)));
        Path script = WORK.resolve("random-warehouse.lua");
        Files.writeString(script, "math.randomseed(7)\nrequest = function()\n  return wrk.format(\"GET\", "
                + "\"/api/warehouses/\" .. math.random(1, " + n + "))\nend\n");
        String wrk = run(List.of("wrk", "-t1", "-c1", "-d10s", "--latency", "-s", script.toString(),
                "http://127.0.0.1:" + apiPort));
        Matcher p99 = Pattern.compile("99%\\s+(\\S+)").matcher(wrk);
        Matcher requests = Pattern.compile("(\\d+) requests in").matcher(wrk);
        lines.add("GET /api/warehouses/{random id}, wrk -t1 -c1 -d10s: p99 " + (p99.find() ? p99.group(1) : "?")
                + " over " + (requests.find() ? requests.group(1) : "?") + " requests");
        lines.forEach(System.out::println);
        return lines;
    }

    /**
     * From `java -jar` to /actuator/health/readiness UP, with the benchmark's PostgreSQL and with the
     * embedded one: the jar as built (the JVM's defaults, then C1 only), then as the image runs it:
     * the jar extracted, a class data sharing archive, the service's JVM options (docs/operations.md
     * "Faster start").
     */
    private static List<String> startUp(int dbPort) throws Exception {
        List<String> lines = new ArrayList<>();
        Map<String, String> external = Map.of("DB_HOST", "127.0.0.1", "DB_PORT", String.valueOf(dbPort));
        lines.add(startUps("java -jar", List.of("java", "-Xmx256m", "-jar", JAR.toString()), external));
        lines.add(startUps("java " + C1_ONLY + " -jar", List.of("java", "-Xmx256m", C1_ONLY, "-jar", JAR.toString()), external));
        lines.add(startUps("extracted, CDS archive, " + String.join(" ", serviceJvm), fastLaunch(external), external));
        lines.forEach(System.out::println);
        return lines;
    }

    private static String startUps(String what, List<String> launch, Map<String, String> externalDb) throws Exception {
        double[] external = new double[3];
        double[] embedded = new double[3];
        for (int i = 0; i < 3; i++) {
            external[i] = timeToReady(launch, externalDb);
            Path data = Files.createTempDirectory(WORK, "embedded-");
            // the second start on a data folder: the first also runs initdb
            timeToReady(launch, Map.of("DB_DATA_DIR", data.toString()));
            embedded[i] = timeToReady(launch, Map.of("DB_DATA_DIR", data.toString()));
        }
        return String.format(Locale.ROOT, "start-up to ready, %s: %.1f s with an external PostgreSQL, %.1f s with the "
                + "embedded one (medians of 3: %s, %s)", what, median(external), median(embedded),
                Arrays.toString(external), Arrays.toString(embedded));
    }

    /**
     * The jar extracted (Spring Boot's jarmode tools) and a CDS archive recorded by one training start:
     * started, ready, stopped (SIGTERM); the JVM writes the archive as it exits.
     */
    private static List<String> fastLaunch(Map<String, String> externalDb) throws Exception {
        Path app = WORK.resolve("app");
        if (Files.exists(app)) {
            try (var old = Files.walk(app)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        run(List.of("java", "-Djarmode=tools", "-jar", JAR.toString(), "extract", "--destination", app.toString()));
        Path jar = app.resolve(JAR.getFileName());
        Path archive = app.resolve("soukosync.jsa");
        int port = freePort();
        Process training = startService(java(List.of("-XX:ArchiveClassesAtExit=" + archive, "-jar", jar.toString())),
                -1, port, asPostgresUser(externalDb), "cds-training.log");
        waitUntilUp(port, training);
        training.destroy();
        if (!training.waitFor(2, TimeUnit.MINUTES) || !Files.exists(archive)) {
            throw new IllegalStateException("the CDS training start wrote no archive; see " + WORK.resolve("cds-training.log"));
        }
        return java(List.of("-XX:SharedArchiveFile=" + archive, "-jar", jar.toString()));
    }

    /** java, the service's JVM options, then these arguments. */
    private static List<String> java(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(serviceJvm);
        command.addAll(arguments);
        return command;
    }

    /** The database settings given, as the postgres user on its postgres database (external and embedded alike). */
    private static Map<String, String> asPostgresUser(Map<String, String> database) {
        Map<String, String> env = new java.util.HashMap<>(database);
        env.putAll(Map.of("DB_DB", "postgres", "DB_USER", "postgres", "DB_PASSWORD", ""));
        return env;
    }

    private static double timeToReady(List<String> launch, Map<String, String> database) throws Exception {
        int port = freePort();
        long start = System.nanoTime();
        Process process = startService(launch, -1, port, asPostgresUser(database), "startup.log");
        try {
            waitUntilUp(port, process);
            return Math.round((System.nanoTime() - start) / 1e8) / 10.0;
        } finally {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static long walPosition(DataSource db) throws Exception {
        try (Connection connection = db.getConnection(); Statement sql = connection.createStatement();
             ResultSet lsn = sql.executeQuery("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn")) {
            lsn.next();
            return lsn.getLong(1);
        }
    }

    /** The median of the rounds' ratios a[i] / b[i] (each round's feed against its own run). */
    private static double ratioMedian(double[] a, double[] b) {
        double[] ratios = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            ratios[i] = a[i] / b[i];
        }
        return median(ratios);
    }

    private static long lastSeq(DataSource db) throws Exception {
        try (Connection connection = db.getConnection(); Statement sql = connection.createStatement();
             ResultSet head = sql.executeQuery("SELECT last_seq FROM sync_feed")) {
            head.next();
            return head.getLong(1);
        }
    }

    /**
     * A run's changes read through the pull feed as a consumer would: GET /api/changes from the seq
     * before the run, pages of 1,000 (the last one only as large as what is left of the n),
     * following "next"; each page parsed. Checks that it read the n changes after the cursor in
     * seq order.
     */
    private static double readFeed(int apiPort, long after, int n) throws Exception {
        long start = System.nanoTime();
        long expected = after + 1;
        String next = "/api/changes?after=" + after + "&limit=" + Math.min(1000, n);
        while (expected - after - 1 < n) {
            HttpResponse<InputStream> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + next))
                    .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofInputStream());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("the feed answered " + answer.statusCode() + " to " + next);
            }
            JsonNode page;
            try (InputStream body = answer.body()) {
                page = JSON.readTree(body);
            }
            for (JsonNode item : page.get("data")) {
                if (item.get("seq").asLong() != expected++) {
                    throw new IllegalStateException("the feed skipped or repeated a seq before " + item.get("seq"));
                }
            }
            if (page.get("data").isEmpty()) {
                break;
            }
            long left = n - (expected - after - 1);
            next = page.get("next").asText().replace("limit=1000", "limit=" + Math.max(1, Math.min(1000, left)));
        }
        if (expected - after - 1 != n) {
            throw new IllegalStateException("the feed gave " + (expected - after - 1) + " changes of the run, not " + n);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private record Run(double seconds, JsonNode answer, long peakHeap) {}

    /** PATCH /api/syncall, timed from the outside, with the service's heap sampled meanwhile. */
    private static Run sync(int apiPort) throws Exception {
        AtomicLong peak = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(heapUsed(apiPort), Math::max), 0, 100, TimeUnit.MILLISECONDS);
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
        if (count != n || run.answer.at("/verified/warehouses").asLong() != n) {
            throw new IllegalStateException("expected " + n + " warehouses " + change + " and verified, the run says " + run.answer);
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

    /** The answer as psql's \copy reads it: CSV, one row per warehouse, the whole object last. */
    private static Path csv(Path answer) throws IOException {
        Path csv = WORK.resolve(answer.getFileName() + ".csv");
        try (JsonParser parser = JSON.getFactory().createParser(answer.toFile());
             BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            while (parser.nextToken() != null) {
                if (parser.currentToken() == JsonToken.FIELD_NAME && "warehouses".equals(parser.currentName())) {
                    parser.nextToken();
                    StringBuilder row = new StringBuilder();
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        row.setLength(0);
                        csvRow(row, JSON.readTree(parser));
                        out.append(row);
                    }
                }
            }
        }
        return csv;
    }

    private static void csvRow(StringBuilder rows, JsonNode w) {
        for (String field : new String[] {"id", "name", "line1", "line2", "site", "city", "state", "zip_code", "country", "fax",
                "phone", "tenant_id", "active", "priority"}) {
            JsonNode value = w.get(field);
            rows.append(value == null || value.isNull() ? "" : quote(value.asText())).append(',');
        }
        rows.append(quote(w.toString())).append('\n');
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

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    /** The user's warehouses answer with n warehouses, in the recorded shape. */
    static Path generate(int n, String suffix) throws IOException {
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

    static HttpServer stubUpstream() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // daemon threads: HttpServer.stop leaves its executor running, which kept the benchmark's
        // JVM alive after its last line
        server.setExecutor(Executors.newFixedThreadPool(4, task -> {
            Thread thread = new Thread(task, "stub-upstream");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/api/v1/auth", exchange -> answer(exchange,
                "{\"access_token\":\"bench-token\",\"expires_in\":43200,\"scope\":\"default\",\"token_type\":\"bearer\"}"));
        server.createContext("/api/v1/iam/users/me", exchange -> answer(exchange, "{\"warehouses\":[],"
                + "\"active\":true,\"email\":\"bench@example.com\",\"employee_id\":\"E-1\",\"first_name\":\"Bench\","
                + "\"id\":1,\"last_name\":\"Mark\",\"tenant_id\":137,\"type\":\"admin\",\"username\":\"bench\"}"));
        server.createContext("/api/v1/iam/users/1/warehouses", exchange -> {
            File file = served.toFile();
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(200, file.length());
            try (OutputStream body = exchange.getResponseBody()) {
                Files.copy(file.toPath(), body);
            }
        });
        server.start();
        upstreamPort = server.getAddress().getPort();
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

    /** The packaged service with the service's JVM options; dbPort -1: the environment given says where the database is. */
    static Process startService(int dbPort, int apiPort, Map<String, String> more, String log) throws IOException {
        List<String> arguments = new ArrayList<>();
        if (flightRecording) {
            arguments.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + WORK.resolve(log.replaceFirst("\\.log$", "") + ".jfr"));
        }
        arguments.addAll(List.of("-jar", JAR.toString()));
        return startService(java(arguments), dbPort, apiPort, more, log);
    }

    private static Process startService(List<String> launch, int dbPort, int apiPort, Map<String, String> more, String log)
            throws IOException {
        ProcessBuilder service = new ProcessBuilder(launch)
                .directory(WORK.toFile())
                .redirectErrorStream(true)
                .redirectOutput(WORK.resolve(log).toFile());
        var env = service.environment();
        if (dbPort > 0) {
            env.putAll(asPostgresUser(Map.of("DB_HOST", "127.0.0.1", "DB_PORT", String.valueOf(dbPort))));
        }
        env.put("API_BASE_URL", "http://127.0.0.1:" + upstreamPort + "/api/v1");
        env.put("API_USER", "bench");
        env.put("API_PASSWORD", "bench");
        env.put("SYNC_SCHEDULE_ENABLED", "false");
        env.put("MY_API_PORT", String.valueOf(apiPort));
        env.put("SYNC_CALL_WAIT_SECONDS", "1800");
        env.put("SYNC_RUN_DEADLINE_SECONDS", "3600");
        env.put("HTTP_CALL_DEADLINE_SECONDS", "3600");
        env.putAll(more);
        return service.start();
    }

    static void waitUntilUp(int apiPort, Process service) {
        Awaitility.await("the service (see " + WORK + ")").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!service.isAlive()) {
                        throw new IllegalStateException("the service stopped; see the logs in " + WORK);
                    }
                    try {
                        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort
                                + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode() == 200;
                    } catch (IOException e) {
                        return false; // not up yet
                    }
                });
    }

    private static String machine() throws Exception {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
        return "machine: " + Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB heap for the benchmark, Java "
                + System.getProperty("java.version") + ", " + run(List.of("psql", "--version")).strip();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Path jar() {
        try (var jars = Files.list(Path.of("target"))) {
            return jars.filter(p -> p.getFileName().toString().matches("soukosync-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no jar in target/: run ./mvnw package first"))
                    .toAbsolutePath();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private SyncBenchmark() {}
}
