package co.soukosync.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import co.soukosync.config.Secrets;
import co.soukosync.upstream.TokenStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What reaches an appender, through the real logback of this JVM, once Secrets are attached. */
class LogRedactionTest {

    private static final String HOOK = "https://hooks.example.com/services/T0/B0/hook-token-5521";

    private final Secrets secrets = new Secrets("pass-word-8080", "", "api-key-3131", "db-pass-6262",
            "ops", "console-7373", HOOK, List.of("Bearer header-9494"));
    private final TokenStore tokens = new TokenStore("", "user", "pass-word-8080", 60, 300, 3600, secrets);
    private final ListAppender<ILoggingEvent> written = new ListAppender<>();
    private final List<Logger> loggers = new ArrayList<>();

    @BeforeEach
    void attach() {
        LogRedaction.attach(secrets);
        written.start();
    }

    @AfterEach
    void detach() {
        LogRedaction.detach(secrets);
        loggers.forEach(logger -> {
            logger.detachAppender(written);
            logger.setLevel(null);
        });
    }

    private Logger logger(String name) {
        Logger logger = (Logger) LoggerFactory.getLogger(name);
        logger.setLevel(Level.TRACE);
        logger.addAppender(written);
        loggers.add(logger);
        return logger;
    }

    private String writtenText() {
        StringBuilder text = new StringBuilder();
        for (ILoggingEvent event : written.list) {
            text.append(event.getFormattedMessage()).append('\n');
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
            }
        }
        return text.toString();
    }

    @Test
    void aLineWithASecretIsWrittenRedactedAtEveryLevel() {
        Logger logger = logger("test.redaction.levels");
        logger.trace("POST {} with {}", HOOK, "Authorization: Bearer header-9494");
        logger.debug("key api-key-3131, console {}", "console-7373");
        logger.info("grant for user with pass-word-8080");
        logger.warn("Authorization: Basic b3BzOmNvbnNvbGUtNzM3Mw==");

        assertThat(written.list).hasSize(4);
        assertThat(writtenText()).contains("POST *** with Authorization: ***").contains("key ***, console ***")
                .doesNotContain("hook-token-5521").doesNotContain("header-9494").doesNotContain("api-key-3131")
                .doesNotContain("console-7373").doesNotContain("pass-word-8080").doesNotContain("b3BzOmNvbnNvbGUtNzM3Mw");
        assertThat(written.list).extracting(ILoggingEvent::getLevel)
                .containsExactly(Level.TRACE, Level.DEBUG, Level.INFO, Level.WARN);
    }

    @Test
    void aTokenJustGrantedIsMaskedBeforeTheServiceKnowsIt() {
        Logger logger = logger("test.redaction.grant");
        logger.trace("Setting bean invocation result : {}", Map.of("access_token", "fresh-7d1e", "expires_in", 3600));
        logger.trace("answer {}", "{\"access_token\":\"fresh-7d1e\",\"expires_in\":3600}");

        assertThat(writtenText()).doesNotContain("fresh-7d1e").contains("expires_in").contains("\"access_token\":\"xxxxx\"");

        tokens.keep(Map.of("access_token", "kept-4a4a", "expires_in", 3600));
        logger.debug("Bearer kept-4a4a");
        tokens.keep(Map.of("access_token", "next-5b5b", "expires_in", 3600));
        logger.debug("a late line: Bearer kept-4a4a");
        assertThat(writtenText()).doesNotContain("kept-4a4a").doesNotContain("next-5b5b");
    }

    @Test
    void anExceptionMessageWithASecretIsRedactedWithItsCause() {
        Logger logger = logger("test.redaction.exception");
        Exception failure = new IllegalStateException("alert failed",
                new RuntimeException("HTTP operation failed invoking " + HOOK + " with statusCode: 500"));
        logger.debug("Failed delivery", failure);
        logger.warn("Failed again: {}", "retrying", failure);

        String text = writtenText();
        assertThat(text).doesNotContain("hook-token-5521").contains("invoking *** with statusCode: 500")
                .contains("java.lang.RuntimeException").contains("Failed again: retrying");
        assertThat(written.list.get(0).getThrowableProxy().getStackTraceElementProxyArray()).isNotEmpty();
    }

    @Test
    void httpClientsWireAndHeaderLogsAreOffWhateverTheLevel() {
        Logger wire = logger("org.apache.hc.client5.http.wire");
        Logger headers = logger("org.apache.hc.client5.http.headers");

        assertThat(wire.isDebugEnabled()).isFalse();
        wire.debug("http-outgoing-0 >> \"{\"password\":\"pass-wo\" + \"rd-8080\"}\"");
        headers.debug("http-outgoing-0 >> Authorization: Bearer whatever");

        assertThat(written.list).isEmpty();
    }

    @Test
    void aLineWithoutASecretIsWrittenAsIs() {
        Logger logger = logger("test.redaction.plain");
        logger.info("Sync run {} ({}) ok: {}", 12, "call", "6 upserted");

        assertThat(written.list).singleElement().satisfies(event -> {
            assertThat(event.getFormattedMessage()).isEqualTo("Sync run 12 (call) ok: 6 upserted");
            assertThat(event.getArgumentArray()).containsExactly(12, "call", "6 upserted");
        });
    }
}
