package co.soukosync.api;

import co.soukosync.history.Dates;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * The body of every error answer of our API that is not a run's:
 * {"response":"error","date":…,"data":{"reason":…,"message":…}} (and "next" where the answer has
 * one to give). Made here and only here, for
 * the routes (bad input), the security chain (401, 403, 503 while starting, through
 * {@link ApiErrorWriter}), Spring's error page (404, 405) and Tomcat's own refusals.
 */
public record ApiError(String response, String date, Detail data) {

    /** next: where to go on from, when there is such a place (the 410 of the change feed); absent otherwise. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Detail(String reason, String message, String next) {}

    public static ApiError of(String reason, String message) {
        return of(reason, message, null);
    }

    public static ApiError of(String reason, String message, String next) {
        return new ApiError("error", Dates.iso(Instant.now()), new Detail(reason, message, next));
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
