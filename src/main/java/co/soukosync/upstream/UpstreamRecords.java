package co.soukosync.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.camel.Variable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Reads the upstream answers into what the pipeline stores, refusing records it cannot mirror. */
@Component("upstreamRecords")
public class UpstreamRecords {

    private final ObjectMapper mapper;
    private final int batchSize;

    UpstreamRecords(ObjectMapper mapper, @Value("${soukosync.sync.batch-size:500}") int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("soukosync.sync.batch-size must be at least 1, not " + batchSize);
        }
        this.mapper = mapper;
        this.batchSize = batchSize;
    }

    /**
     * Refuses an answer that does not say it is JSON (a proxy's HTML page served with 200, say)
     * before a byte of it is read as data.
     */
    public void requireJson(@Header("Content-Type") String contentType, @Variable("stage") String stage,
                            @Body InputStream body) throws IOException {
        String type = contentType == null ? "" : contentType.toLowerCase(java.util.Locale.ROOT);
        if (!(type.startsWith("application/json") || type.matches("application/[a-z0-9.+-]*\\+json.*"))) {
            if (body != null) {
                body.close(); // gives the connection back
            }
            throw new UpstreamDataException(stage, "the upstream answered "
                    + (contentType == null || contentType.isBlank() ? "without a content type" : contentType.split(";")[0].strip())
                    + ", not JSON");
        }
    }

    /** The answer of GET /iam/users/me. */
    public UpstreamUser user(InputStream body) {
        JsonNode user;
        try {
            user = mapper.readTree(body);
        } catch (IOException e) {
            throw new UpstreamDataException("fetch_user", "the user answer is not valid JSON", e);
        }
        String problem = RecordRules.problem(user, RecordRules.USER);
        if (problem != null) {
            throw new UpstreamDataException("fetch_user", "the user record " + problem);
        }
        try {
            return new UpstreamUser(user.get("id").asLong(), mapper.writeValueAsString(user));
        } catch (IOException e) {
            throw new UpstreamDataException("fetch_user", "the user record cannot be written as JSON", e);
        }
    }

    /**
     * The answer of GET /iam/users/{id}/warehouses, as batches read while they are stored; the
     * answer stream is closed when the exchange completes, whatever happened to the run.
     */
    public WarehouseBatches warehouseBatches(@Body InputStream body, Exchange exchange) {
        WarehouseBatches batches = new WarehouseBatches(mapper, body, batchSize);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                batches.close();
            }
        });
        return batches;
    }

    /** For tests and tools: batches of an answer that the caller closes. */
    WarehouseBatches warehouseBatches(InputStream body) {
        return new WarehouseBatches(mapper, body, batchSize);
    }
}
