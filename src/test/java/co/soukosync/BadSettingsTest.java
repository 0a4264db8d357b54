package co.soukosync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.soukosync.config.BadSettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A bad value stops the start with one line that names its environment variable and what it
 * accepts, and no stack trace, before the application context (the database, Camel) is made. The
 * variables are given as command-line arguments, which application.yaml's ${VAR:default} reads as
 * it reads the environment.
 */
@ExtendWith(OutputCaptureExtension.class)
class BadSettingsTest {

    /** Thrown where the application context would be made: a start that gets this far passed the check. */
    static final class ContextReached extends RuntimeException {
        ContextReached() {
            super("the application context was about to be made");
        }
    }

    private static Throwable start(String... args) {
        SpringApplication application = new SpringApplication(SoukosyncApplication.class);
        application.addInitializers(context -> {
            throw new ContextReached();
        });
        try {
            application.run(args);
        } catch (Throwable failure) {
            return failure;
        }
        throw new AssertionError("the start did not fail");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            INTERVAL_SCHEDULER_SECONDS=often  | INTERVAL_SCHEDULER_SECONDS=often: not a whole number of seconds (1 or more)
            INTERVAL_SCHEDULER_SECONDS=0      | INTERVAL_SCHEDULER_SECONDS=0: not a whole number of seconds (1 or more)
            SYNC_MAX_UNLINK_PERCENT=150       | SYNC_MAX_UNLINK_PERCENT=150: not a whole number from 1 to 100
            MY_API_PORT=x                     | MY_API_PORT=x: not a whole number from 0 to 65535
            SYNC_SCHEDULE_ENABLED=maybe       | SYNC_SCHEDULE_ENABLED=maybe: not true or false
            SOUKOSYNC_DEMO=perhaps            | SOUKOSYNC_DEMO=perhaps: not auto, true or false
            SYNC_UNLINK_WINDOW_HOURS=-1       | SYNC_UNLINK_WINDOW_HOURS=-1: not a whole number of hours (0 or more)
            HTTP_RESPONSE_TIMEOUT_MS=10s      | HTTP_RESPONSE_TIMEOUT_MS=10s: not a whole number of milliseconds (1 or more)
            API_BASE_URL=show.pulpo.co        | API_BASE_URL=show.pulpo.co: not an http:// or https:// URL
            soukosync.sync.lock-key=first     | --soukosync.sync.lock-key=first: not a whole number
            """)
    void aBadValueStopsTheStartWithOneLineAndNoStackTrace(String setting, String line, CapturedOutput output) {
        Throwable failure = start("--" + setting);

        assertThat(failure).isInstanceOf(BadSettingException.class).hasMessage(line);
        assertThat(output.getAll()).contains("\n" + line + "\n").doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(output.getAll()).as("nothing started").doesNotContain("PostgreSQL").doesNotContain("Camel");
    }

    @Test
    void aSecretsValueIsNeverShown(CapturedOutput output) {
        Throwable failure = start("--ALERT_WEBHOOK_HEADERS=Authorization: Bearer hook-secret-7777",
                "--ALERT_WEBHOOK_URL=hooks.example.com/hook-secret-8888");

        assertThat(failure).isInstanceOf(BadSettingException.class)
                .hasMessage("ALERT_WEBHOOK_URL: not an http:// or https:// URL");
        assertThat(output.getAll()).doesNotContain("hook-secret");

        assertThatThrownBy(() -> {
            throw start("--ALERT_WEBHOOK_HEADERS=Authorization: Bearer hook-secret-7777");
        }).hasMessage("ALERT_WEBHOOK_HEADERS: not Name=Value pairs separated by ';'");
        assertThat(output.getAll()).doesNotContain("hook-secret");
    }

    @Test
    void theShippedDefaultsPassTheCheck() {
        assertThat(start()).isInstanceOf(ContextReached.class);
    }
}
