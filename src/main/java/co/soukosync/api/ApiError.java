package co.soukosync.api;

import java.time.Instant;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The body of every error answer of our API that is not a run's:
 * {"response":"error","date":…,"data":{"reason":…,"message":…}}. Made here and only here, for
 * the routes (bad input), the security chain (401, 403, 503 while starting), Spring's error
 * page (404, 405) and Tomcat's own refusals.
 */
public record ApiError(String response, String date, Detail data) {

    public record Detail(String reason, String message) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    public static ApiError of(String reason, String message) {
        return new ApiError("error", Dates.iso(Instant.now()), new Detail(reason, message));
    }

    /** Writes the error as the whole answer, for the parts of the server that are not routes. */
    public static void write(HttpServletResponse response, int status, String reason, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json(reason, message));
    }

    /** The error as JSON text. */
    public static String json(String reason, String message) {
        try {
            return JSON.writeValueAsString(of(reason, message));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("an error body is always JSON", e);
        }
    }

    /** The reason word of an HTTP status that no route chose. */
    public static String reasonFor(int status) {
        return switch (status) {
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 503 -> "unavailable";
            default -> status < 500 ? "bad_request" : "internal_error";
        };
    }
}
