package co.soukosync.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
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

    /** The answer of GET /iam/users/{id}/warehouses, as batches read while they are stored. */
    public WarehouseBatches warehouseBatches(InputStream body) {
        return new WarehouseBatches(mapper, body, batchSize);
    }
}
