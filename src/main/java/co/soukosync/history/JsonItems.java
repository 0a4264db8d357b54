package co.soukosync.history;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.List;

/**
 * JSON texts that PostgreSQL built (json_build_object writes {@code "a" : 1}, with spaces),
 * answered as one compact JSON array, in the order of their keys: each text is read and written
 * again by the mapper that writes the answer.
 */
@JsonSerialize(using = JsonItems.Compact.class)
public record JsonItems(List<String> texts) {

    static final class Compact extends StdSerializer<JsonItems> {

        Compact() {
            super(JsonItems.class);
        }

        @Override
        public void serialize(JsonItems items, JsonGenerator json, SerializerProvider provider) throws IOException {
            ObjectCodec mapper = json.getCodec();
            json.writeStartArray();
            for (String text : items.texts()) {
                try (JsonParser item = mapper.getFactory().createParser(text)) {
                    json.writeTree(mapper.readTree(item));
                }
            }
            json.writeEndArray();
        }
    }
}
