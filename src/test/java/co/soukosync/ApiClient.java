package co.soukosync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Calls one instance of the application over HTTP, as its clients do. With an API key, the calls
 * of {@link #send} carry it ("Authorization: Bearer <key>"), as a configured client's would;
 * {@link #raw} sends exactly the headers it is given.
 */
public final class ApiClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;
    private final String apiKey;

    public ApiClient(int port) {
        this(port, null);
    }

    public ApiClient(int port, String apiKey) {
        this.port = port;
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
    }

    public Answer patch(String path) {
        return send("PATCH", path);
    }

    public Answer get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public Answer send(String method, String path) {
        return send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    public Answer sendJson(String method, String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    /**
     * A request written byte for byte on a socket, as `curl --path-as-is` sends it: the path is
     * not normalised or re-encoded by any client library, and no header is added.
     */
    public Answer raw(String method, String rawPath, String... headers) {
        return rawBody(method, rawPath, null, headers);
    }

    /** {@link #raw} with a request body. */
    public Answer rawBody(String method, String rawPath, String body, String... headers) {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(60_000);
            StringBuilder request = new StringBuilder(method).append(' ').append(rawPath).append(" HTTP/1.1\r\n")
                    .append("Host: localhost:").append(port).append("\r\n").append("Connection: close\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (body != null || List.of("POST", "PUT", "PATCH").contains(method)) {
                request.append("Content-Length: ").append(content.length).append("\r\n");
            }
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(content);
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headEnd = response.indexOf("\r\n\r\n");
            String head = headEnd < 0 ? response : response.substring(0, headEnd);
            String answer = headEnd < 0 ? "" : response.substring(headEnd + 4);
            if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
                answer = unchunk(answer);
            }
            int status = Integer.parseInt(head.split(" ", 3)[1]);
            String type = head.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-type:"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("");
            return new Answer(status, type, answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String unchunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
        return out.toString();
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private Answer send(HttpRequest.Builder request) {
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
