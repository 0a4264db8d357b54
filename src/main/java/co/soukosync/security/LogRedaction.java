package co.soukosync.security;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.EventArgUtil;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import co.soukosync.config.Secrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * Keeps every known secret out of the log, at any level: each event that would be written, and
 * whose text or exception messages hold a secret of {@link Secrets}, is written redacted instead
 * ("***"). So is one that holds the value of a key named like a secret ("access_token=…",
 * "\"password\":\"…\"", masked "xxxxx" as Camel's log masking does): a token the upstream has
 * just granted is in a bean call's TRACE line before the service keeps it and knows it. The loggers that dump HTTP traffic byte by byte are off whatever their level:
 * HttpClient's wire log cuts a request into pieces and escapes bytes, so that a secret in it
 * cannot be found to redact, and its header log says nothing the redacted lines do not.
 * A logback TurboFilter, so that it sees every event of every library before any appender or
 * encoder (plain text or structured) writes it; {@link SecretsInLogs} installs it and attaches the
 * secrets when the bean is created, and detaches them when its context closes.
 */
final class LogRedaction extends TurboFilter {

    /** Off at every level: what they write cannot be redacted reliably. */
    static final List<String> SILENCED = List.of("org.apache.hc.client5.http.wire", "org.apache.hc.client5.http.headers");

    private static final LogRedaction INSTANCE = new LogRedaction();
    private static final String FQCN = Logger.class.getName();
    /** A key named like a secret: what a line must hold before the patterns below are tried. */
    private static final Pattern SECRET_KEY = Pattern.compile("token|passw|secret|api.?key", Pattern.CASE_INSENSITIVE);
    private static final String KEY = "[\\w-]*(?:token|passw(?:or)?d|secret|api[_-]?key)[\\w-]*";
    /** key=value, as a map's toString() or a query string has it. */
    private static final Pattern KEY_VALUE = Pattern.compile("(" + KEY + "\\s*=\\s*)([^\\s,;&}\\])]+)",
            Pattern.CASE_INSENSITIVE);
    /** "key":"value", as JSON has it. */
    private static final Pattern JSON_STRING = Pattern.compile("(\"" + KEY + "\"\\s*:\\s*\")((?:[^\"\\\\]|\\\\.)*)(\")",
            Pattern.CASE_INSENSITIVE);

    private final Set<Secrets> sources = new CopyOnWriteArraySet<>();

    private LogRedaction() {
        setName("soukosync-secrets");
    }

    /** Redacts the secrets of this instance from now on (and installs the filter if logback was reset since). */
    static void attach(Secrets secrets) {
        INSTANCE.sources.add(secrets);
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && !context.getTurboFilterList().contains(INSTANCE)) {
            INSTANCE.setContext(context);
            INSTANCE.start();
            context.addTurboFilter(INSTANCE);
        }
    }

    static void detach(Secrets secrets) {
        INSTANCE.sources.remove(secrets);
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (silenced(logger.getName())) {
            return FilterReply.DENY;
        }
        // a level check (isDebugEnabled()), or an event the logger's level drops anyway
        if ((format == null && t == null) || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
            return FilterReply.NEUTRAL;
        }
        Throwable thrown = t != null ? t : EventArgUtil.extractThrowable(params);
        Object[] arguments = t == null && thrown != null ? EventArgUtil.trimmedCopy(params) : params;
        String formatted = arguments == null || arguments.length == 0 ? format
                : MessageFormatter.arrayFormat(format, arguments).getMessage();
        String message = formatted == null ? "" : formatted;
        String clean = clean(message);
        if (clean.equals(message) && !needsCleaning(thrown)) {
            return FilterReply.NEUTRAL;
        }
        LoggingEvent cleaned = new LoggingEvent(FQCN, logger, level, clean, cleaned(thrown), null);
        if (marker != null) {
            cleaned.addMarker(marker);
        }
        logger.callAppenders(cleaned);
        return FilterReply.DENY;
    }

    static boolean silenced(String logger) {
        for (String silenced : SILENCED) {
            if (logger.equals(silenced) || logger.startsWith(silenced + ".")) {
                return true;
            }
        }
        return false;
    }

    /** The text without a known secret, and without the value of a key named like a secret. */
    private String clean(String text) {
        if (text == null) {
            return "";
        }
        String clean = text;
        for (Secrets secrets : sources) {
            clean = secrets.redact(clean);
        }
        if (!SECRET_KEY.matcher(clean).find()) {
            return clean;
        }
        return JSON_STRING.matcher(KEY_VALUE.matcher(clean).replaceAll("$1xxxxx")).replaceAll("$1xxxxx$3");
    }

    private boolean needsCleaning(Throwable thrown) {
        for (Throwable t : chain(thrown)) {
            if (t.getMessage() != null && !clean(t.getMessage()).equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** A copy of the exception and its causes with cleaned messages, and the same stack traces. */
    private Throwable cleaned(Throwable thrown) {
        return thrown == null || !needsCleaning(thrown) ? thrown : Redacted.of(thrown, this::clean, 0);
    }

    private static List<Throwable> chain(Throwable thrown) {
        List<Throwable> chain = new ArrayList<>();
        collect(thrown, chain);
        return chain;
    }

    private static void collect(Throwable thrown, List<Throwable> chain) {
        for (Throwable t = thrown; t != null && !chain.contains(t) && chain.size() < Redacted.DEPTH; t = t.getCause()) {
            chain.add(t);
            for (Throwable suppressed : t.getSuppressed()) {
                collect(suppressed, chain);
            }
        }
    }

    /** Stands in for an exception whose message held a secret: its class name, its redacted message. */
    static final class Redacted extends RuntimeException {

        private Redacted(String message, Throwable cause) {
            super(message, cause);
        }

        // causes and suppressed exceptions can form a cycle: a chain this deep is cut
        private static final int DEPTH = 32;

        static Throwable of(Throwable thrown, UnaryOperator<String> redact, int depth) {
            Throwable next = thrown.getCause();
            Throwable cause = next == null || next == thrown || depth >= DEPTH ? null : of(next, redact, depth + 1);
            String message = thrown.getMessage() == null ? thrown.getClass().getName()
                    : thrown.getClass().getName() + ": " + redact.apply(thrown.getMessage());
            Redacted copy = new Redacted(message, cause);
            copy.setStackTrace(thrown.getStackTrace());
            if (depth < DEPTH) {
                for (Throwable suppressed : thrown.getSuppressed()) {
                    copy.addSuppressed(of(suppressed, redact, depth + 1));
                }
            }
            return copy;
        }
    }
}
