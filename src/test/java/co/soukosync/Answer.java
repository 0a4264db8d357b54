package co.soukosync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** An HTTP answer of our API (or of another instance of it). */
public record Answer(int status, String contentType, String body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + status + "): " + body, e);
        }
    }
}
