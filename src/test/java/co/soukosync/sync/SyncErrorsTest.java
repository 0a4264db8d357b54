package co.soukosync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import co.soukosync.Internals;
import co.soukosync.upstream.NoCredentialsException;
import co.soukosync.config.Secrets;
import co.soukosync.upstream.UpstreamDataException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.core5.http.NoHttpResponseException;
import java.sql.SQLTransientConnectionException;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.TransactionSystemException;

class SyncErrorsTest {

    private final SyncErrors errors = new SyncErrors(new Secrets("", "manual-secret-token", "", "", "", "", "", List.of()));

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
        SyncError error = classify(new UnknownHostException("manual-secret-token.example\nsecond line"), "auth");
        assertThat(error.message()).isEqualTo("upstream host not found: ***.example");
    }

    /** What nobody named is the service's own failure: said so, without the classes, the exchange or its text. */
    @Test
    void anUnforeseenFailureWrappedByCamelIsNamedWithoutInternals() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody("manual-secret-token");
        Throwable wrapped = new CamelExecutionException("Exception occurred during execution on the exchange", exchange,
                new RuntimeCamelException(new IllegalStateException("co.soukosync.sync.SyncStore went wrong")));
        SyncError error = classify(wrapped, "store");
        assertThat(error.reason()).isEqualTo("internal_error");
        assertThat(error.stage()).isEqualTo("store");
        assertThat(error.message()).isEqualTo("the service failed unexpectedly; its log has the details")
                .doesNotContainPattern(Internals.NAMED);
    }

    /** The log has what the answer leaves out, for a failure without a run too (an API read), secrets redacted. */
    @Test
    void anUnforeseenFailureOfAnApiReadIsLoggedWithItsStackTrace() {
        Logger logger = (Logger) LoggerFactory.getLogger(SyncErrors.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            Exchange exchange = new DefaultExchange(new DefaultCamelContext());
            SyncError error = errors.classify(new CamelExecutionException("Exception occurred during execution", exchange,
                    new IllegalStateException("odd state near manual-secret-token")), (SyncRun) null);
            assertThat(error.reason()).isEqualTo("internal_error");
        } finally {
            logger.detachAppender(lines);
        }
        assertThat(lines.list).singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.ERROR);
            assertThat(line.getFormattedMessage()).contains("IllegalStateException: odd state near ***")
                    .contains("\tat ").doesNotContain("manual-secret-token");
        });
    }

    /** A database failure is db_error however deeply it is wrapped, told without SQL, SQL states or class names. */
    @Test
    void databaseFailuresAreNamedInTheDatabasesWordsNotInSql() {
        PSQLException refused = new PSQLException(new ServerErrorMessage(
                "SERROR\0VERROR\0C22021\0Minvalid byte sequence for encoding \"UTF8\": 0x00\0Wline 1 of COPY staging\0"));
        SyncError write = classify(new CamelExecutionException("Exception occurred during execution on the exchange",
                null, new UncategorizedSQLException("PreparedStatementCallback", "INSERT INTO warehouses SELECT * FROM staging",
                        refused)), "store");
        assertThat(write.reason()).isEqualTo("db_error");
        assertThat(write.message()).isEqualTo("database: invalid byte sequence for encoding \"UTF8\": 0x00")
                .doesNotContainPattern(Internals.NAMED);

        SyncError away = classify(new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                new SQLTransientConnectionException("soukosync - Connection is not available, request timed out after 1000ms"
                        + " (total=0, active=0, idle=0, waiting=0)")), "fetch_user");
        assertThat(away.reason()).isEqualTo("db_error");
        assertThat(away.message()).isEqualTo("database: it cannot be reached").doesNotContainPattern(Internals.NAMED);

        SyncError lost = classify(new TransactionSystemException("Could not commit JDBC transaction",
                new PSQLException("An I/O error occurred while sending to the backend.", PSQLState.CONNECTION_FAILURE)), "store");
        assertThat(lost.message()).isEqualTo("database: it cannot be reached");

        SyncError bare = classify(new DataIntegrityViolationException("PreparedStatementCallback; SQL [UPDATE x SET y = 1];"
                + " SQL state [23505]; error code [0]"), "store");
        assertThat(bare.reason()).isEqualTo("db_error");
        assertThat(bare.message()).isEqualTo("database: it refused the statement").doesNotContainPattern(Internals.NAMED);
    }
}
