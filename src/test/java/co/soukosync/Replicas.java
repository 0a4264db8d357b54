package co.soukosync;

import co.soukosync.db.ServerPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * More instances of the application on one database, as replicas are: in this JVM (a Spring
 * application of their own, configured as the environment would be), or the packaged jar in a
 * process of its own, which a test can kill.
 */
public final class Replicas {

    private Replicas() {}

    /**
     * Starts the application in this JVM on the database of this JDBC URL, against the WireMock
     * upstream: command-line arguments win over application.yaml, and {@code more} over these.
     */
    public static ConfigurableApplicationContext start(String jdbcUrl, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--soukosync.db.host=localhost",
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.password=",
                "--soukosync.api.base-url=" + Upstream.baseUrl(),
                "--soukosync.api.user=" + Upstream.USER,
                "--soukosync.api.password=" + Upstream.PASSWORD,
                // the replicas share this JVM, and its JMX server
                "--spring.jmx.unique-names=true",
                "--" + IntegrationSupport.SEDA_POLL));
        args.addAll(List.of(more));
        // Quartz keeps one registry of schedulers per JVM, by name: replicas in one JVM need names of their own
        if (args.stream().noneMatch(arg -> arg.startsWith("--spring.quartz.scheduler-name="))) {
            args.add("--spring.quartz.scheduler-name=replica-" + System.nanoTime());
        }
        if (args.stream().noneMatch(arg -> arg.startsWith("--soukosync.schedule.enabled="))) {
            args.add("--soukosync.schedule.enabled=false");
        }
        return new SpringApplicationBuilder(SoukosyncApplication.class).run(args.toArray(String[]::new));
    }

    public static int portOf(ConfigurableApplicationContext replica) {
        return ((WebServerApplicationContext) replica).getWebServer().getPort();
    }

    /** The packaged jar (target/soukosync-*.jar, made by the package phase) running as a process. */
    public record Process(java.lang.Process process, int port, Path log) {
        public void kill() throws InterruptedException {
            process.destroyForcibly().waitFor();
        }
    }

    /**
     * Starts the packaged jar with this environment (beside the WireMock upstream's URL and
     * credentials, and a free port), its output in target/{@code name}.log.
     */
    public static Process startPackagedJar(String name, Map<String, String> environment) {
        try {
            Path jar;
            try (var jars = Files.list(Path.of("target"))) {
                jar = jars.filter(p -> p.getFileName().toString().matches("soukosync-.*\\.jar")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("no jar in target/: the package phase makes it"));
            }
            int port = ServerPorts.free();
            Path log = Path.of("target", name + ".log");
            // a JVM that lives for seconds: the C1 compiler alone starts it faster, the serial collector costs less
            ProcessBuilder process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toAbsolutePath().toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = process.environment();
            env.put("API_BASE_URL", Upstream.baseUrl());
            env.put("API_USER", Upstream.USER);
            env.put("API_PASSWORD", Upstream.PASSWORD);
            env.put("MY_API_PORT", String.valueOf(port));
            env.putAll(environment);
            return new Process(process.start(), port, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
