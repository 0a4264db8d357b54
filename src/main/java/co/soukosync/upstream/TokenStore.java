package co.soukosync.upstream;

import co.soukosync.config.Secrets;
import co.soukosync.config.SoukosyncProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.springframework.beans.factory.annotation.Autowired;
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
    private final Duration maxRefusalPause;
    private final Clock clock;
    private final Consumer<String> granted;
    private volatile Cached cached;
    private volatile boolean retryPending;
    private Instant refusedUntil;
    private Duration refusalPause;

    @Autowired
    TokenStore(Upstream upstream, Secrets secrets, SoukosyncProperties properties) {
        this(upstream.token(), upstream.user(), upstream.password(), properties.token().renewBeforeSeconds(),
                properties.token().refusedPauseSeconds(), properties.token().refusedPauseMaxSeconds(), secrets);
    }

    /** A token store that tells {@code secrets} of every token granted. */
    public TokenStore(String manualToken, String user, String password, long renewBeforeSeconds,
                      long refusedPauseSeconds, long refusedPauseMaxSeconds, Secrets secrets) {
        this(manualToken, user, password, Duration.ofSeconds(renewBeforeSeconds), Duration.ofSeconds(refusedPauseSeconds),
                Duration.ofSeconds(refusedPauseMaxSeconds), Clock.systemUTC(), secrets::granted);
    }

    TokenStore(String manualToken, String user, String password, Duration renewBefore,
               Duration firstRefusalPause, Duration maxRefusalPause, Clock clock) {
        this(manualToken, user, password, renewBefore, firstRefusalPause, maxRefusalPause, clock, token -> { });
    }

    TokenStore(String manualToken, String user, String password, Duration renewBefore,
               Duration firstRefusalPause, Duration maxRefusalPause, Clock clock, Consumer<String> granted) {
        this.manualToken = blankToNull(manualToken);
        this.user = blankToNull(user);
        this.password = password == null ? "" : password;
        this.renewBefore = renewBefore;
        this.firstRefusalPause = firstRefusalPause;
        this.maxRefusalPause = maxRefusalPause;
        this.refusalPause = firstRefusalPause;
        this.clock = clock;
        this.granted = granted;
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
        // a secret before it is kept: from now on no text may hold it
        granted.accept(value);
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
        refusalPause = doubled.compareTo(maxRefusalPause) > 0 ? maxRefusalPause : doubled;
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

    /**
     * A password grant failed: refused credentials (400, 401, 403 from /auth) pause the grants,
     * so that a wrong password is not hammered into an IP ban; a grant lost on the network or to
     * a 5xx is retried in the background. Called by the error handling (sync-failed for a run's
     * grant, token-retry for the background one), which goes on to report the failure.
     */
    public void grantFailed(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure) {
        HttpOperationFailedException http = cause(failure, HttpOperationFailedException.class);
        if (http != null) {
            int status = http.getStatusCode();
            if (status == 400 || status == 401 || status == 403) {
                refused();
            } else if (status >= 500) {
                retryLater();
            }
        } else if (cause(failure, java.io.IOException.class) != null) {
            retryLater();
        }
    }

    private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
