package co.soukosync.sync;

import co.soukosync.config.Secrets;
import co.soukosync.upstream.CredentialsRefusedException;
import co.soukosync.upstream.DeadlineInputStream;
import co.soukosync.upstream.NoCredentialsException;
import co.soukosync.upstream.StagedFailure;
import co.soukosync.upstream.UpstreamDataException;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.EOFException;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Variable;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.postgresql.util.PSQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * Names why a run failed with the reason words of the original service (timeout, nxdomain,
 * econnrefused, closed) and ours (unauthorized, no_credentials, http_STATUS, bad_response,
 * db_error, mismatch, suspicious_shrink). Messages are one line and pass through
 * {@link Secrets#redact} so that no secret reaches a log, a history row or an answer.
 */
@Component("syncErrors")
public class SyncErrors {

    private static final Logger log = LoggerFactory.getLogger(SyncErrors.class);
    private static final int MAX_MESSAGE = 300;
    private static final String INTERNAL = "the service failed unexpectedly; its log has the details";
    private static final String UNREACHABLE = "it cannot be reached";

    private final Secrets secrets;

    SyncErrors(Secrets secrets) {
        this.secrets = secrets;
    }

    /** The failure of the exchange's run (or of a sync that never became one), kept in the run. */
    public SyncError classify(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable error,
                              @Variable("run") SyncRun run) {
        SyncError classified = classify(error, run == null ? "queue" : run.getStage());
        if (run != null) {
            run.setError(classified);
        }
        if (INTERNAL.equals(classified.message()) && (run == null || run.getId() == null)) {
            // the answer says "its log has the details": sync-failed logs a run's stack trace, and
            // this failure (an API read, a sync that never became a run) has no run to carry it
            log.error("Unexpected failure: {}", secrets.redact(stackTrace(error)));
        }
        return classified;
    }

    private static String stackTrace(Throwable error) {
        StringWriter trace = new StringWriter();
        if (error != null) {
            error.printStackTrace(new PrintWriter(trace));
        }
        return trace.toString();
    }

    SyncError classify(Throwable error, String runStage) {
        String stage = runStage;
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StagedFailure staged) {
                stage = staged.stage();
                break;
            }
        }
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            SyncError known = known(t, stage);
            if (known != null) {
                return known.withMessage(oneLine(known.message()));
            }
        }
        // nothing names it: a fault of the service itself, whose exception (its classes, Camel's
        // dump of the exchange) is for the log (sync-failed logs its stack trace), not the answer
        return new SyncError("internal_error", stage, INTERNAL);
    }

    /** The parameters of run-finish-error.sql for the run of this exchange. */
    public Map<String, Object> params(@Variable("run") SyncRun run) {
        return run.getError().asParams(run.getId());
    }

    private static SyncError known(Throwable t, String stage) {
        if (t instanceof UpstreamDataException e && e.isBadAnswer()) {
            return new SyncError("bad_response", stage, e.getMessage());
        }
        if (t instanceof SyncFailure e) {
            return new SyncError(e.reason(), e.stage(), e.getMessage());
        }
        if (t instanceof CredentialsRefusedException e) {
            return new SyncError("unauthorized", "auth", e.getMessage());
        }
        if (t instanceof NoCredentialsException e) {
            return new SyncError("no_credentials", "auth", e.getMessage());
        }
        if (t instanceof SyncBusyException e) {
            return new SyncError("timeout", "queue", e.getMessage());
        }
        if (t instanceof HttpOperationFailedException e) {
            int status = e.getStatusCode();
            boolean refused = status == 401 || status == 403 || ("auth".equals(stage) && status == 400);
            String answer = "upstream answered HTTP " + status + " to " + path(e.getUri());
            return refused
                    ? new SyncError("unauthorized", stage, answer + ("auth".equals(stage) ? ": the credentials were refused" : ": the token was refused"))
                    : new SyncError("http_" + status, stage, answer);
        }
        if (t instanceof UnknownHostException e) {
            return new SyncError("nxdomain", stage, "upstream host not found: " + e.getMessage());
        }
        if (t instanceof ConnectException) {
            return new SyncError("econnrefused", stage, "upstream refused the connection");
        }
        if (t instanceof DeadlineInputStream.RunDeadlineExceeded) {
            return new SyncError("timeout", stage, "the run took longer than SYNC_RUN_DEADLINE_SECONDS");
        }
        if (t instanceof DeadlineInputStream.CallDeadlineExceeded) {
            return new SyncError("timeout", stage, "the upstream answer was not whole within HTTP_CALL_DEADLINE_SECONDS");
        }
        if (t instanceof InterruptedIOException) {
            // SocketTimeoutException and HttpClient's ConnectTimeoutException
            return new SyncError("timeout", stage, "upstream did not answer in time");
        }
        if (t instanceof NoHttpResponseException || t instanceof ConnectionClosedException
                || t instanceof SocketException || t instanceof EOFException) {
            return new SyncError("closed", stage, "upstream closed the connection");
        }
        if (t instanceof JsonProcessingException) {
            return new SyncError("bad_response", stage, "the upstream answer is not valid JSON");
        }
        if (t instanceof DataAccessException || t instanceof SQLException || t instanceof TransactionException) {
            return new SyncError("db_error", "store", "database: " + database(t));
        }
        return null;
    }

    /**
     * What the database said, in its own words: PostgreSQL's message for a statement it refused,
     * or that it cannot be reached. Never the text of the exceptions around it, which quote the
     * SQL, its state and the classes that ran it.
     */
    private static String database(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CannotGetJdbcConnectionException || t instanceof SQLTransientConnectionException
                    || t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return UNREACHABLE;
            }
            if (t instanceof PSQLException psql && psql.getServerErrorMessage() != null
                    && psql.getServerErrorMessage().getMessage() != null) {
                return psql.getServerErrorMessage().getMessage();
            }
        }
        return "it refused the statement";
    }

    private static String path(String uri) {
        try {
            return URI.create(uri).getRawPath();
        } catch (RuntimeException e) {
            return "the upstream";
        }
    }

    private String oneLine(String message) {
        String line = message == null ? "" : message.lines().findFirst().orElse("").strip();
        line = secrets.redact(line);
        return line.length() > MAX_MESSAGE ? line.substring(0, MAX_MESSAGE) + "…" : line;
    }
}
