package co.soukosync.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Holds the upstream access token: the manual API_TOKEN as is, or one obtained by the password
 * grant and kept until shortly before its expires_in runs out. Pulpo bans clients that ask for
 * a token per call, so one token serves every sync within its lifetime; for the same reason
 * credentials it refused are not tried again until a back-off has passed (5 minutes, doubling
 * up to an hour), and a grant that failed on the network is retried in the background.
 */
@Component("tokenStore")
public class TokenStore {

    private record Cached(String token, Instant renewAt) {}

    private final String manualToken;
    private final String user;
    private final String password;
    private final Duration renewBefore;
    private final Duration firstRefusalPause;
    private final Clock clock;
    private volatile Cached cached;
    private volatile boolean retryPending;
    private Instant refusedUntil;
    private Duration refusalPause;

    @Autowired
    public TokenStore(@Value("${soukosync.api.token:}") String manualToken,
               @Value("${soukosync.api.user:}") String user,
               @Value("${soukosync.api.password:}") String password,
               @Value("${soukosync.token.renew-before-seconds:60}") long renewBeforeSeconds,
               @Value("${soukosync.token.refused-pause-seconds:300}") long refusedPauseSeconds) {
        this(manualToken, user, password, Duration.ofSeconds(renewBeforeSeconds),
                Duration.ofSeconds(refusedPauseSeconds), Clock.systemUTC());
    }

    TokenStore(String manualToken, String user, String password, Duration renewBefore,
               Duration firstRefusalPause, Clock clock) {
        this.manualToken = blankToNull(manualToken);
        this.user = blankToNull(user);
        this.password = password == null ? "" : password;
        this.renewBefore = renewBefore;
        this.firstRefusalPause = firstRefusalPause;
        this.refusalPause = firstRefusalPause;
        this.clock = clock;
    }

    public boolean hasManualToken() {
        return manualToken != null;
    }

    /** True when a password grant must be made before the next upstream call. */
    public boolean needsGrant() {
        if (manualToken != null) {
            return false;
        }
        if (user == null) {
            throw new NoCredentialsException();
        }
        synchronized (this) {
            if (refusedUntil != null && clock.instant().isBefore(refusedUntil)) {
                throw new CredentialsRefusedException(refusedUntil);
            }
        }
        Cached current = cached;
        return current == null || !clock.instant().isBefore(current.renewAt());
    }

    /** The body of the password grant request. */
    public Map<String, Object> grantRequest() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("grant_type", "password");
        body.put("username", user);
        body.put("password", password);
        body.put("scope", "default");
        return body;
    }

    /** Keeps the token of a password grant answer. */
    public void keep(Map<String, Object> grantAnswer) {
        Object token = grantAnswer == null ? null : grantAnswer.get("access_token");
        if (!(token instanceof String value) || value.isBlank()) {
            throw new UpstreamDataException("auth", "the token answer has no access_token");
        }
        Object expiresIn = grantAnswer.get("expires_in");
        long seconds = expiresIn instanceof Number n ? n.longValue() : 3600;
        // renew early, but never hold a token for less than half its life
        Duration lifetime = Duration.ofSeconds(Math.max(seconds, 0));
        Duration early = renewBefore.compareTo(lifetime.dividedBy(2)) > 0 ? lifetime.dividedBy(2) : renewBefore;
        cached = new Cached(value, clock.instant().plus(lifetime).minus(early));
        retryPending = false;
        synchronized (this) {
            refusedUntil = null;
            refusalPause = firstRefusalPause;
        }
    }

    /** The upstream refused the credentials: no grant is tried again before a pause. */
    public synchronized void refused() {
        cached = null;
        retryPending = false;
        refusedUntil = clock.instant().plus(refusalPause);
        Duration doubled = refusalPause.multipliedBy(2);
        refusalPause = doubled.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : doubled;
    }

    /** Forgets every token, refusal and pending retry, as at start-up. */
    public synchronized void reset() {
        cached = null;
        retryPending = false;
        refusedUntil = null;
        refusalPause = firstRefusalPause;
    }

    /** A grant failed on the network: the background retry should try again. */
    public void retryLater() {
        if (manualToken == null && user != null) {
            retryPending = true;
        }
    }

    /** True while a grant failed on the network and no token has been obtained since. */
    public boolean isRetryPending() {
        return retryPending;
    }

    /** Drops the cached grant token, e.g. after the upstream answered 401 to it. */
    public void invalidate() {
        cached = null;
    }

    /** The Authorization header value for an upstream call. */
    public String authorization() {
        if (manualToken != null) {
            return "Bearer " + manualToken;
        }
        Cached current = cached;
        if (current == null) {
            throw new IllegalStateException("no upstream token has been obtained");
        }
        return "Bearer " + current.token();
    }

    /** The text with every secret this store knows replaced by "***". */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String redacted = text;
        Cached current = cached;
        for (String secret : new String[] {manualToken, password, current == null ? null : current.token()}) {
            if (secret != null && secret.length() >= 4) {
                redacted = redacted.replace(secret, "***");
            }
        }
        return redacted;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
