package co.soukosync.upstream;

/** Neither API_TOKEN nor API_USER is configured, so the upstream cannot be called. */
public class NoCredentialsException extends RuntimeException {

    public NoCredentialsException() {
        super("no upstream credentials: set API_TOKEN, or API_USER and API_PASSWORD");
    }
}
