package co.soukosync.db;

import co.soukosync.db.EmbeddedBinaries.UnsafeFolderException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A start refused because of the embedded PostgreSQL's programs folder is reported as what is
 * wrong and what to do, rather than as a stack trace (registered in META-INF/spring.factories).
 */
class UnsafeFolderAnalyzer extends AbstractFailureAnalyzer<UnsafeFolderException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnsafeFolderException cause) {
        return new FailureAnalysis(cause.problem, cause.fix, cause);
    }
}
