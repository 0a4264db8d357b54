package co.soukosync;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;

/**
 * Every logger at TRACE while open, as an operator's LOGGING_LEVEL_ROOT=TRACE would have it, and
 * more: the loggers application.yaml quiets (WARN, OFF) too. Closing puts the levels back. One
 * exception: the JDK's own JMX tracing (javax.management) stays as it was; with JMX on it writes
 * millions of lines of its ModelMBean bookkeeping per sync, which slows a run past the tests'
 * timeouts, and holds nothing of the service's.
 */
final class EveryLoggerAtTrace implements AutoCloseable {

    private static final String JMX = "javax.management";

    private final LoggingSystem logging;
    private final Map<String, LogLevel> configured = new LinkedHashMap<>();

    EveryLoggerAtTrace(LoggingSystem logging) {
        this.logging = logging;
        for (LoggerConfiguration logger : logging.getLoggerConfigurations()) {
            if (logger.getConfiguredLevel() != null) {
                configured.put(logger.getName(), logger.getConfiguredLevel());
            }
        }
        logging.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.TRACE);
        configured.keySet().forEach(name -> logging.setLogLevel(name, LogLevel.TRACE));
        if (!configured.containsKey(JMX)) {
            configured.put(JMX, null);
        }
        logging.setLogLevel(JMX, LogLevel.INFO);
    }

    @Override
    public void close() {
        configured.forEach(logging::setLogLevel);
    }
}
