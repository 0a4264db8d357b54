package co.soukosync.config;

/**
 * A setting whose value the service cannot use: its property, and what it accepts. A secret's
 * value is never quoted, in this exception or in what is made of it.
 */
public class SettingException extends RuntimeException {

    private final String key;
    private final String accepts;
    private final boolean secret;

    public SettingException(String key, String accepts, boolean secret) {
        super(key + ": not " + accepts);
        this.key = key;
        this.accepts = accepts;
        this.secret = secret;
    }

    public String key() {
        return key;
    }

    public String accepts() {
        return accepts;
    }

    public boolean secret() {
        return secret;
    }
}
