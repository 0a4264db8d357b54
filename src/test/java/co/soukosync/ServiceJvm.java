package co.soukosync;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The service in a JVM of its own, started from the test classpath, for what only a separate
 * process can show: a SIGTERM (GracefulStopIT), a kill -9 (ChangesToKafkaIT).
 */
final class ServiceJvm {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** java (C1 only and the serial collector, as the tests run), the JVM options given, SoukosyncApplication with these arguments; output to log. */
    static Process start(Path log, List<String> jvmOptions, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SoukosyncApplication.class.getName()));
        command.addAll(List.of(arguments));
        // as the tests' other applications: it stops without waiting a second for each seda consumer
        command.add("--" + IntegrationSupport.SEDA_POLL);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Readiness answers 200 on that port. */
    static boolean ready(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private ServiceJvm() {}
}
