package co.soukosync.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;

/** Writes an {@link ApiError} as the whole answer, for the parts of the server that are not routes. */
@Component
public class ApiErrorWriter {

    private final ObjectMapper json;

    ApiErrorWriter(ObjectMapper json) {
        this.json = json;
    }

    /** Answers the request with this status and error body. */
    public void write(HttpServletResponse response, int status, String reason, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json(reason, message));
    }

    /** The error as JSON text. */
    public String json(String reason, String message) {
        try {
            return json.writeValueAsString(ApiError.of(reason, message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an error body is always JSON", e);
        }
    }
}
