package co.soukosync.upstream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Reads the warehouses answer as a stream and hands out its warehouses in batches (each a JSON
 * array) for the splitter, checking every record on the way. The ids it has handed out are kept,
 * so that links to warehouses no longer listed can be removed afterwards. The whole answer is
 * read to its end, so a truncated body fails the run even after the last warehouse.
 */
public final class WarehouseBatches implements Iterator<String>, AutoCloseable {

    private static final String STAGE = "fetch_warehouses";

    private final ObjectMapper mapper;
    private final JsonParser parser;
    private final int batchSize;
    private long[] ids = new long[64];
    private int count;
    private boolean listDone;
    private String ready;

    WarehouseBatches(ObjectMapper mapper, InputStream body, int batchSize) {
        this.mapper = mapper;
        this.batchSize = batchSize;
        try {
            this.parser = mapper.createParser(body);
            openList();
        } catch (IOException e) {
            throw invalid(e);
        }
    }

    @Override
    public boolean hasNext() {
        if (ready == null && !listDone) {
            ready = readBatch();
        }
        return ready != null;
    }

    @Override
    public String next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        String batch = ready;
        ready = null;
        return batch;
    }

    /** How many warehouses were handed out so far. */
    public int getCount() {
        return count;
    }

    /** The ids handed out so far, as a JSON array. */
    public String getIdsJson() {
        StringBuilder json = new StringBuilder(count * 8 + 2).append('[');
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append(ids[i]);
        }
        return json.append(']').toString();
    }

    /** Closes the answer stream (twice is harmless); a failure to close is of no consequence. */
    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            // the stream is gone either way
        }
    }

    private void openList() throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new UpstreamDataException(STAGE, "the warehouses answer is not a JSON object");
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("warehouses".equals(field)) {
                if (value != JsonToken.START_ARRAY) {
                    throw new UpstreamDataException(STAGE, "the warehouses answer has no list of warehouses");
                }
                return;
            }
            parser.skipChildren();
        }
        throw new UpstreamDataException(STAGE, "the warehouses answer has no list of warehouses");
    }

    private String readBatch() {
        try {
            ArrayNode batch = mapper.createArrayNode();
            while (batch.size() < batchSize) {
                JsonToken token = parser.nextToken();
                if (token == JsonToken.END_ARRAY) {
                    listDone = true;
                    readToEnd();
                    close();
                    break;
                }
                if (token == null) {
                    throw new UpstreamDataException(STAGE, "the warehouses answer ends inside the list");
                }
                JsonNode record = mapper.readTree(parser);
                String problem = RecordRules.problem(record, RecordRules.WAREHOUSE);
                if (problem != null) {
                    throw new UpstreamDataException(STAGE, "warehouse #" + (count + 1) + describeId(record) + " " + problem);
                }
                keepId(record.get("id").asLong());
                batch.add(record);
            }
            return batch.isEmpty() ? null : mapper.writeValueAsString(batch);
        } catch (IOException e) {
            throw invalid(e);
        }
    }

    private void readToEnd() throws IOException {
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            parser.nextToken();
            parser.skipChildren();
        }
        if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
            throw new UpstreamDataException(STAGE, "the warehouses answer does not end where a JSON object ends");
        }
    }

    private void keepId(long id) {
        if (count == ids.length) {
            ids = Arrays.copyOf(ids, count * 2);
        }
        ids[count++] = id;
    }

    private static String describeId(JsonNode record) {
        JsonNode id = record == null ? null : record.get("id");
        return id == null || id.isNull() || id.isContainerNode() ? "" : " (id " + id.asText() + ")";
    }

    private static UpstreamDataException invalid(IOException e) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        return new UpstreamDataException(STAGE, "the warehouses answer is not valid JSON: " + detail, e);
    }
}
