package co.soukosync.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A start stopped by a setting ({@link ConfigurationCheck}) is reported as that one line and what
 * to do, not as a stack trace (registered in META-INF/spring.factories).
 */
class BadSettingAnalyzer extends AbstractFailureAnalyzer<BadSettingException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BadSettingException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
