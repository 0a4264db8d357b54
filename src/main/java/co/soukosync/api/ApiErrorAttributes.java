package co.soukosync.api;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.web.servlet.error.DefaultErrorAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;

/**
 * Requests that never reach a route (an unknown path, a wrong method) are answered by Spring's
 * error page; this gives that answer the shape of our own errors, without any stack trace.
 */
@Component
class ApiErrorAttributes extends DefaultErrorAttributes {

    @Override
    public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
        Object code = request.getAttribute("jakarta.servlet.error.status_code", RequestAttributes.SCOPE_REQUEST);
        Object uri = request.getAttribute("jakarta.servlet.error.request_uri", RequestAttributes.SCOPE_REQUEST);
        if (code == null && request instanceof ServletWebRequest servlet) {
            // the error page called by a client: no error to tell, and no endpoint (see ErrorPage)
            code = 404;
            uri = servlet.getRequest().getRequestURI();
        }
        int status = code instanceof Integer i ? i : 500;
        String path = uri == null ? "this path" : uri.toString();
        ApiError error = ApiError.of(ApiError.reasonFor(status), message(status, path));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("response", error.response());
        body.put("date", error.date());
        body.put("data", error.data());
        return body;
    }

    private static String message(int status, String path) {
        return switch (status) {
            case 401 -> "credentials are needed for " + path;
            case 403 -> "these credentials do not give access to " + path;
            case 404 -> "no such endpoint: " + path;
            case 405 -> "this method is not allowed on " + path;
            default -> {
                HttpStatus known = HttpStatus.resolve(status);
                yield (known == null ? "HTTP " + status : known.getReasonPhrase()) + " on " + path;
            }
        };
    }
}
