package co.soukosync.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.soukosync.config.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenStoreTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-27T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();

    private TokenStore credentials() {
        return new TokenStore("", "user", "secret-password", Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofHours(1), clock);
    }

    @Test
    void aGrantTokenIsKeptUntilShortlyBeforeItExpires() {
        TokenStore store = credentials();
        assertThat(store.needsGrant()).isTrue();

        store.keep(Map.of("access_token", "abc123", "expires_in", 3600));

        assertThat(store.needsGrant()).isFalse();
        assertThat(store.authorization()).isEqualTo("Bearer abc123");
        clock.now = clock.now.plusSeconds(3600 - 61);
        assertThat(store.needsGrant()).isFalse();
        clock.now = clock.now.plusSeconds(1);
        assertThat(store.needsGrant()).isTrue();
    }

    @Test
    void aGrantedTokenIsASecretBeforeItIsUsed() {
        Secrets secrets = new Secrets("", "", "", "", "", "", "", List.of());
        TokenStore store = new TokenStore("", "user", "secret-password", 60, 300, 3600, secrets);

        store.keep(Map.of("access_token", "granted-abc123", "expires_in", 3600));

        assertThat(secrets.redact(store.authorization())).isEqualTo("Bearer ***");
    }

    @Test
    void aShortLivedTokenIsRenewedAtHalfItsLife() {
        TokenStore store = credentials();
        store.keep(Map.of("access_token", "abc123", "expires_in", 60));

        clock.now = clock.now.plusSeconds(29);
        assertThat(store.needsGrant()).isFalse();
        clock.now = clock.now.plusSeconds(1);
        assertThat(store.needsGrant()).isTrue();
    }

    @Test
    void invalidateDropsTheToken() {
        TokenStore store = credentials();
        store.keep(Map.of("access_token", "abc123", "expires_in", 3600));

        store.invalidate();

        assertThat(store.needsGrant()).isTrue();
    }

    @Test
    void aManualTokenWinsAndNeverExpires() {
        TokenStore store = new TokenStore("manual-token", "user", "pw", Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofHours(1), clock);

        assertThat(store.needsGrant()).isFalse();
        clock.now = clock.now.plus(Duration.ofDays(400));
        assertThat(store.needsGrant()).isFalse();
        assertThat(store.authorization()).isEqualTo("Bearer manual-token");
        assertThat(store.hasManualToken()).isTrue();
    }

    @Test
    void withoutCredentialsNoGrantCanBeMade() {
        TokenStore store = new TokenStore(" ", "", "", Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofHours(1), clock);

        assertThatThrownBy(store::needsGrant).isInstanceOf(NoCredentialsException.class)
                .hasMessageContaining("API_TOKEN").hasMessageContaining("API_USER");
    }

    @Test
    void anAnswerWithoutATokenIsABadResponse() {
        assertThatThrownBy(() -> credentials().keep(Map.of("error", "invalid_grant")))
                .isInstanceOf(UpstreamDataException.class);
    }

    @Test
    void refusedCredentialsAreNotTriedAgainBeforeAPauseThatDoubles() {
        TokenStore store = credentials();
        store.refused();

        assertThatThrownBy(store::needsGrant).isInstanceOf(CredentialsRefusedException.class);
        clock.now = clock.now.plus(Duration.ofMinutes(5));
        assertThat(store.needsGrant()).isTrue();

        store.refused();
        clock.now = clock.now.plus(Duration.ofMinutes(9));
        assertThatThrownBy(store::needsGrant).isInstanceOf(CredentialsRefusedException.class);
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertThat(store.needsGrant()).isTrue();

        store.keep(Map.of("access_token", "abc123", "expires_in", 3600));
        store.invalidate();
        store.refused();
        clock.now = clock.now.plus(Duration.ofMinutes(5));
        assertThat(store.needsGrant()).as("a good grant resets the pause").isTrue();
    }

    @Test
    void aNetworkFailureMarksARetryUntilATokenArrives() {
        TokenStore store = credentials();
        store.retryLater();
        assertThat(store.isRetryPending()).isTrue();

        store.keep(Map.of("access_token", "abc123", "expires_in", 3600));

        assertThat(store.isRetryPending()).isFalse();
        TokenStore manual = new TokenStore("manual", "", "", Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofHours(1), clock);
        manual.retryLater();
        assertThat(manual.isRetryPending()).isFalse();
    }

}
