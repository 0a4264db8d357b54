package co.soukosync.config;

/** The start stops here: a setting the service cannot use, in one line, and what to do about it. */
public class BadSettingException extends RuntimeException {

    private final String action;

    BadSettingException(String line, String action, Throwable cause) {
        super(line, cause);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
