package co.soukosync.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * JSON texts that PostgreSQL built (json_build_object writes "a" : 1, with spaces), joined into
 * a compact array for an answer, in the order of their keys.
 */
public final class JsonText {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonText() {}

    public static String array(List<String> items) {
        StringBuilder array = new StringBuilder("[");
        for (String item : items) {
            if (array.length() > 1) {
                array.append(',');
            }
            try {
                array.append(JSON.writeValueAsString(JSON.readTree(item)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("PostgreSQL built JSON that is not JSON: " + e.getOriginalMessage(), e);
            }
        }
        return array.append(']').toString();
    }
}
