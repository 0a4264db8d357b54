package co.soukosync.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Locale;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Variable;
import org.apache.camel.support.SynchronizationAdapter;
import org.springframework.stereotype.Component;

/** Reads the upstream's answers into the run, refusing what it cannot mirror. */
@Component("upstreamRecords")
public class UpstreamRecords {

    private final ObjectMapper mapper;
    private final Clock clock = Clock.systemUTC();

    UpstreamRecords(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The answer of an upstream call (a stream that must be whole by the call's deadline: see
     * {@link UpstreamCalls}). An answer that does not say it is JSON (a proxy's HTML page served
     * with 200, say) is refused before a byte of it is read as data.
     */
    public InputStream answer(@Header("Content-Type") String contentType, @Variable("run") UpstreamRun run,
                              @Body InputStream body) throws IOException {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (!(type.startsWith("application/json") || type.matches("application/[a-z0-9.+-]*\\+json.*"))) {
            if (body != null) {
                body.close(); // drops the connection: the rest of a wrong answer is not worth reading
            }
            throw new UpstreamDataException(run.getStage(), "the upstream answered "
                    + (contentType == null || contentType.isBlank() ? "without a content type" : contentType.split(";")[0].strip())
                    + ", not JSON");
        }
        return body;
    }

    /** Throws when the run is past its deadline, before it starts another call. */
    public void checkDeadline(@Variable("run") UpstreamRun run) throws DeadlineInputStream.RunDeadlineExceeded {
        if (!clock.instant().isBefore(run.getDeadline())) {
            throw new DeadlineInputStream.RunDeadlineExceeded();
        }
    }

    /** The answer of GET /iam/users/me, kept in the run. */
    public void readUser(@Body InputStream body, @Variable("run") UpstreamRun run) {
        JsonNode user;
        try (body) {
            user = mapper.readTree(body);
        } catch (IOException e) {
            throw UpstreamDataException.reading("fetch_user", "the user answer", e);
        }
        String problem = RecordRules.problem(user, RecordRules.USER);
        if (problem != null) {
            throw new UpstreamDataException("fetch_user", "the user record " + problem);
        }
        String text = RecordRules.textProblem(user);
        if (text != null) {
            throw new UpstreamDataException("fetch_user", "the user record (id " + user.get("id").asLong() + ") has " + text);
        }
        run.user(user.get("id").asLong(), user.toString());
    }

    /**
     * The answer of GET /iam/users/{id}/warehouses, kept in the run as a reader that the store
     * reads while it writes; the answer stream is closed when the exchange completes, whatever
     * happened to the run.
     */
    public void openWarehouses(@Body InputStream body, @Variable("run") UpstreamRun run, Exchange exchange) {
        WarehouseReader reader = new WarehouseReader(mapper, body);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                reader.close();
            }
        });
        run.setWarehouses(reader);
    }

    /** For tests and tools: a reader of an answer that the caller closes. */
    WarehouseReader warehouses(InputStream body) {
        return new WarehouseReader(mapper, body);
    }
}
