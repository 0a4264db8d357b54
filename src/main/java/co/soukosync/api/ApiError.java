package co.soukosync.api;

import co.soukosync.history.Dates;
import java.time.Instant;

/**
 * The body of every error answer of our API that is not a run's:
 * {"response":"error","date":…,"data":{"reason":…,"message":…}}. Made here and only here, for
 * the routes (bad input), the security chain (401, 403, 503 while starting, through
 * {@link ApiErrorWriter}), Spring's error page (404, 405) and Tomcat's own refusals.
 */
public record ApiError(String response, String date, Detail data) {

    public record Detail(String reason, String message) {}

    public static ApiError of(String reason, String message) {
        return new ApiError("error", Dates.iso(Instant.now()), new Detail(reason, message));
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
