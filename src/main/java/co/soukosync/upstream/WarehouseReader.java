package co.soukosync.upstream;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Reads the warehouses answer as it arrives, one checked {@link WarehouseRecord} at a time, and
 * keeps the count and the digest sum of what it handed out (the upstream's side of the run's
 * receipt). The whole answer is read to its end, so a truncated body fails the run even after
 * the last warehouse. Nothing of the answer is held but the record being read.
 */
public final class WarehouseReader implements Iterator<WarehouseRecord>, AutoCloseable {

    private static final String STAGE = "fetch_warehouses";

    private final JsonParser parser;
    private final ByteArrayBuilder rawBytes = new ByteArrayBuilder(1024);
    private final JsonGenerator rawJson;
    private long count;
    private long digestSum;
    private long lastId;
    private boolean ascending = true;
    private boolean listDone;
    private WarehouseRecord ready;

    WarehouseReader(ObjectMapper mapper, InputStream body) {
        try {
            this.parser = mapper.createParser(body);
            this.rawJson = mapper.getFactory().createGenerator(rawBytes, JsonEncoding.UTF8);
            rawJson.setRootValueSeparator(null); // one object after another, nothing between
            openList();
        } catch (IOException e) {
            throw UpstreamDataException.reading(STAGE, "the warehouses answer", e);
        }
    }

    @Override
    public boolean hasNext() {
        if (ready == null && !listDone) {
            ready = read();
        }
        return ready != null;
    }

    @Override
    public WarehouseRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        WarehouseRecord record = ready;
        ready = null;
        return record;
    }

    /** How many warehouses were handed out so far. */
    public long getCount() {
        return count;
    }

    /** The sum, wrapping at 64 bits, of the digests of the warehouses handed out so far. */
    public long getDigestSum() {
        return digestSum;
    }

    /**
     * True while each warehouse handed out had a greater id than the one before (as the Pulpo API
     * lists them): then no id was listed twice, and the store need not look for one.
     */
    public boolean isAscending() {
        return ascending;
    }

    /** True once the answer was read to its end, whole. */
    public boolean isComplete() {
        return listDone;
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

    private WarehouseRecord read() {
        try {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.END_ARRAY) {
                readToEnd();
                listDone = true;
                close();
                return null;
            }
            if (token == null) {
                throw new UpstreamDataException(STAGE, "the warehouses answer ends inside the list");
            }
            WarehouseRecord record = WarehouseRecord.read(parser, count + 1, rawJson, rawBytes);
            if (count > 0 && record.id() <= lastId) {
                ascending = false;
            }
            lastId = record.id();
            count++;
            digestSum += record.digest();
            return record;
        } catch (IOException e) {
            throw UpstreamDataException.reading(STAGE, "the warehouses answer", e);
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
}
