package co.soukosync.upstream;

/** The upstream answered, but not with what the API promises (reason bad_response). */
public class UpstreamDataException extends RuntimeException {

    private final String stage;

    public UpstreamDataException(String stage, String message) {
        super(message);
        this.stage = stage;
    }

    public UpstreamDataException(String stage, String message, Throwable cause) {
        super(message, cause);
        this.stage = stage;
    }

    /** The stage whose answer was bad, which may differ from the stage that read it. */
    public String stage() {
        return stage;
    }
}
