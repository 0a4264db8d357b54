package co.soukosync.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * The upstream's answer could not be used: not what the API promises (reason bad_response), or
 * cut off while it was read (its cause says how: a timeout, a closed connection). The stage is
 * the answer's, which may differ from the stage that read it (the store reads the warehouses).
 */
public class UpstreamDataException extends RuntimeException implements StagedFailure {

    private final String stage;

    public UpstreamDataException(String stage, String message) {
        super(message);
        this.stage = stage;
    }

    public UpstreamDataException(String stage, String message, Throwable cause) {
        super(message, cause);
        this.stage = stage;
    }

    /** A failure while reading an answer: bad JSON is the answer's fault, anything else the connection's. */
    static UpstreamDataException reading(String stage, String what, java.io.IOException e) {
        if (e instanceof JsonProcessingException) {
            String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            return new UpstreamDataException(stage, what + " is not valid JSON: " + detail, e);
        }
        return new UpstreamDataException(stage, what + " was cut off", e);
    }

    @Override
    public String stage() {
        return stage;
    }

    /** True when the answer itself is at fault, false when reading it failed on the network. */
    public boolean isBadAnswer() {
        return !(getCause() instanceof java.io.IOException) || getCause() instanceof JsonProcessingException;
    }
}
