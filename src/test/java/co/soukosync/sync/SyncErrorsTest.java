package co.soukosync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import co.soukosync.upstream.NoCredentialsException;
import co.soukosync.security.Secrets;
import co.soukosync.upstream.TokenStore;
import co.soukosync.upstream.UpstreamDataException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Duration;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

class SyncErrorsTest {

    private final SyncErrors errors = new SyncErrors(new Secrets(new TokenStore("manual-secret-token", "", "", 60, 300, 3600), "", "", "", "", "", "", ""));

    private SyncError classify(Throwable t, String stage) {
        return errors.classify(t, stage);
    }

    private static HttpOperationFailedException status(int code) {
        return new HttpOperationFailedException("http://upstream/api/v1/iam/users/me?x=1", code, "Oops", null, null, "body");
    }

    @Test
    void upstreamStatusesBecomeHttpReasons() {
        SyncError error = classify(status(503), "fetch_user");
        assertThat(error.reason()).isEqualTo("http_503");
        assertThat(error.stage()).isEqualTo("fetch_user");
        assertThat(error.message()).isEqualTo("upstream answered HTTP 503 to /api/v1/iam/users/me");
    }

    @Test
    void refusedCredentialsAndTokensAreUnauthorized() {
        assertThat(classify(status(401), "fetch_user").reason()).isEqualTo("unauthorized");
        assertThat(classify(status(403), "fetch_warehouses").reason()).isEqualTo("unauthorized");
        assertThat(classify(status(400), "auth").reason()).isEqualTo("unauthorized");
        assertThat(classify(status(400), "fetch_user").reason()).isEqualTo("http_400");
    }

    @Test
    void networkFaultsKeepTheOriginalsWords() {
        assertThat(classify(new UnknownHostException("show.pulpo.invalid"), "auth").reason()).isEqualTo("nxdomain");
        assertThat(classify(new ConnectException("Connection refused"), "auth").reason()).isEqualTo("econnrefused");
        assertThat(classify(new SocketTimeoutException("Read timed out"), "fetch_user").reason()).isEqualTo("timeout");
        assertThat(classify(new NoHttpResponseException("failed to respond"), "fetch_user").reason()).isEqualTo("closed");
        assertThat(classify(new SocketException("Connection reset"), "fetch_user").reason()).isEqualTo("closed");
    }

    @Test
    void wrappedCausesAreFound() {
        SyncError error = classify(new RuntimeCamelException(new UpstreamDataException("fetch_warehouses", "warehouse #1 lacks id")), "store");
        assertThat(error.reason()).isEqualTo("bad_response");
        assertThat(error.stage()).isEqualTo("fetch_warehouses");
        assertThat(error.message()).isEqualTo("warehouse #1 lacks id");
    }

    @Test
    void databaseFailuresAreDbErrorsOfTheStore() {
        SyncError error = classify(new DataAccessResourceFailureException("connection lost", new SQLException("x")), "store");
        assertThat(error.reason()).isEqualTo("db_error");
        assertThat(error.stage()).isEqualTo("store");
    }

    @Test
    void ourOwnConditionsHaveTheirWords() {
        assertThat(classify(new NoCredentialsException(), null).reason()).isEqualTo("no_credentials");
        SyncError busy = classify(new SyncBusyException(Duration.ofSeconds(60)), null);
        assertThat(busy.reason()).isEqualTo("timeout");
        assertThat(busy.stage()).isEqualTo("queue");
    }

    @Test
    void messagesAreOneRedactedLine() {
        SyncError error = classify(new IllegalStateException("boom with manual-secret-token\nsecond line"), "store");
        assertThat(error.reason()).isEqualTo("internal_error");
        assertThat(error.message()).isEqualTo("IllegalStateException: boom with ***");
    }
}
