package co.soukosync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Logs for machines: every line logged while a run works carries the run's id as the MDC field
 * run_id (LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs makes it a JSON field), whichever thread logs it,
 * and its last line the outcome (run_outcome, run_reason); no line outside a run carries them.
 * The lines are caught as Logback hands them to its appenders, MDC included.
 */
class RunLogsIT extends IntegrationSupport {

    private static final String REQUESTS = "org.springframework.web.servlet.DispatcherServlet";
    private static final String STATEMENTS = "org.springframework.jdbc.core.JdbcTemplate";

    @Autowired
    CamelContext camel;

    private final ListAppender<ILoggingEvent> caught = new ListAppender<>();

    @BeforeEach
    void catchLines() {
        caught.start();
        root().addAppender(caught);
        // a line for every request (on the web server's threads) and for every SQL statement (on
        // the threads that run the API's routes, runs included): a run's fields left behind on a
        // thread would show on the lines that come after it there
        logger(REQUESTS).setLevel(Level.DEBUG);
        logger(STATEMENTS).setLevel(Level.DEBUG);
    }

    @AfterEach
    void stopCatching() {
        root().detachAppender(caught);
        logger(REQUESTS).setLevel(null);
        logger(STATEMENTS).setLevel(null);
    }

    @Test
    void everyLineOfARunCarriesItsIdOnEveryThreadAndItsLastLineTheOutcome() {
        long ok = patch("/api/syncall").json().get("run_id").asLong();
        for (int i = 0; i < 4; i++) {
            assertThat(get("/api/synlast").status()).isEqualTo(200);
        }
        // retried twice, then failed: the retries are lines of the run too
        Upstream.serveWarehouses(aResponse().withStatus(503));
        long failed = patch("/api/syncall").json().get("run_id").asLong();
        Upstream.serveRecorded();
        // a cast runs on a thread of its own
        assertThat(patch("/api/syncast").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM sync_runs WHERE trigger = 'cast'"
                + " AND outcome = 'ok'") == 1);
        long cast = jdbc.queryForObject("SELECT id FROM sync_runs WHERE trigger = 'cast'", Long.class);
        // a line outside any run: the repair closing a run that a stopped process left open
        jdbc.update("INSERT INTO sync_runs (trigger, started_at, outcome) VALUES ('schedule', now() - interval '1 hour',"
                + " 'running')");
        // (it closes nothing while the cast still holds the run lock, released once its exchange is done)
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            camel.createFluentProducerTemplate().to("direct:history-repair").request();
            return !lines(text("Closed 1 run(s)")).isEmpty();
        });

        ILoggingEvent okLine = only(text("Sync run " + ok + " (call) ok"));
        assertThat(okLine.getMDCPropertyMap()).containsEntry("run_id", Long.toString(ok))
                .containsEntry("run_outcome", "ok").doesNotContainKey("run_reason");

        ILoggingEvent failedLine = only(text("Sync run " + failed + " (call) failed"));
        assertThat(failedLine.getLevel()).isEqualTo(Level.WARN);
        assertThat(failedLine.getMDCPropertyMap()).containsEntry("run_id", Long.toString(failed))
                .containsEntry("run_outcome", "error").containsEntry("run_reason", "http_503");
        // the first attempt and its two retries
        List<ILoggingEvent> retries = lines(text("On delivery attempt"));
        assertThat(retries).hasSize(3).allSatisfy(line ->
                assertThat(line.getMDCPropertyMap()).containsEntry("run_id", Long.toString(failed)));

        ILoggingEvent castLine = only(text("Sync run " + cast + " (cast) ok"));
        assertThat(castLine.getThreadName()).isNotEqualTo(okLine.getThreadName());
        assertThat(castLine.getMDCPropertyMap()).containsEntry("run_id", Long.toString(cast))
                .containsEntry("run_outcome", "ok");

        // the statements of a run, those of its store's transaction too, are the run's; those of
        // the synlast calls made between two runs (on the same pool of threads) are nobody's
        Predicate<ILoggingEvent> statement = line -> line.getLoggerName().equals(STATEMENTS);
        assertThat(lines(statement.and(field("run_id", ok)))).hasSizeGreaterThanOrEqualTo(6);
        List<ILoggingEvent> all = lines(line -> true);
        ILoggingEvent failedStarts = all.stream().filter(field("run_id", failed)).findFirst().orElseThrow();
        List<ILoggingEvent> between = all.subList(all.indexOf(okLine) + 1, all.indexOf(failedStarts));
        assertThat(between.stream().filter(statement).toList()).hasSizeGreaterThanOrEqualTo(4)
                .allSatisfy(line -> assertThat(line.getMDCPropertyMap()).doesNotContainKeys("run_id", "run_outcome"));

        assertThat(only(text("Closed 1 run(s)")).getMDCPropertyMap()).doesNotContainKeys("run_id", "run_outcome");
        List<ILoggingEvent> requestLines = lines(line -> line.getLoggerName().equals(REQUESTS));
        assertThat(requestLines).hasSizeGreaterThanOrEqualTo(8)
                .allSatisfy(line -> assertThat(line.getMDCPropertyMap()).as(line.getFormattedMessage())
                        .doesNotContainKeys("run_id", "run_outcome", "run_reason"));
        // and every line that has an id names one of these runs
        assertThat(lines(line -> line.getMDCPropertyMap().containsKey("run_id")))
                .extracting(line -> Long.parseLong(line.getMDCPropertyMap().get("run_id")))
                .containsOnly(ok, failed, cast);
    }

    private static Predicate<ILoggingEvent> field(String key, long value) {
        return line -> Long.toString(value).equals(line.getMDCPropertyMap().get(key));
    }

    private static Predicate<ILoggingEvent> text(String part) {
        return line -> line.getFormattedMessage().contains(part);
    }

    private ILoggingEvent only(Predicate<ILoggingEvent> which) {
        List<ILoggingEvent> found = lines(which);
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private List<ILoggingEvent> lines(Predicate<ILoggingEvent> which) {
        // Logback appends under the appender's lock
        synchronized (caught) {
            return caught.list.stream().filter(which).toList();
        }
    }

    private static Logger root() {
        return logger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private static Logger logger(String name) {
        return (Logger) LoggerFactory.getLogger(name);
    }
}
