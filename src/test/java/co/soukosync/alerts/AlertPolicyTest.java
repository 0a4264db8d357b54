package co.soukosync.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import co.soukosync.alerts.AlertPolicy.Decision;
import co.soukosync.alerts.AlertPolicy.State;
import org.junit.jupiter.api.Test;

/** When to alert: one alert when an incident starts, one when its reason changes, one when it ends. */
class AlertPolicyTest {

    private static final State FAILING_404 = new State("failed", "http_404", 3);
    private static final State STALE = new State("stale", "stale", 0);

    @Test
    void successesWithoutAnIncidentAnnounceNothing() {
        Decision decision = AlertPolicy.afterRun(State.CALM, true, null);

        assertThat(decision.event()).isNull();
        assertThat(decision.next()).isEqualTo(State.CALM);
    }

    @Test
    void theFirstFailureAfterASuccessStartsAnIncident() {
        Decision decision = AlertPolicy.afterRun(State.CALM, false, "http_404");

        assertThat(decision.event()).isEqualTo(Alert.FAILED);
        assertThat(decision.next()).isEqualTo(new State("failed", "http_404", 1));
    }

    @Test
    void moreFailuresForTheSameReasonAreCountedNotAnnounced() {
        Decision decision = AlertPolicy.afterRun(FAILING_404, false, "http_404");

        assertThat(decision.event()).isNull();
        assertThat(decision.next()).isEqualTo(new State("failed", "http_404", 4));
    }

    @Test
    void aFailureForAnotherReasonIsAnnouncedAgain() {
        Decision decision = AlertPolicy.afterRun(FAILING_404, false, "http_500");

        assertThat(decision.event()).isEqualTo(Alert.FAILED);
        assertThat(decision.next()).isEqualTo(new State("failed", "http_500", 4));
    }

    @Test
    void aSuccessEndsAnIncidentOnceAndCalmsEverything() {
        Decision decision = AlertPolicy.afterRun(FAILING_404, true, null);

        assertThat(decision.event()).isEqualTo(Alert.RECOVERED);
        assertThat(decision.next()).isEqualTo(State.CALM);
        assertThat(AlertPolicy.afterRun(decision.next(), true, null).event()).isNull();
    }

    @Test
    void aStaleMirrorStartsAnIncidentOnce() {
        Decision decision = AlertPolicy.stale(State.CALM);

        assertThat(decision.event()).isEqualTo(Alert.STALE);
        assertThat(decision.next()).isEqualTo(STALE);
        assertThat(AlertPolicy.stale(decision.next()).event()).isNull();
    }

    @Test
    void aStaleCheckDuringAFailureIncidentAnnouncesNothing() {
        Decision decision = AlertPolicy.stale(FAILING_404);

        assertThat(decision.event()).isNull();
        assertThat(decision.next()).isEqualTo(FAILING_404);
    }

    @Test
    void aFailureOfAStaleMirrorBecomesAFailureIncidentAndASuccessEndsEither() {
        Decision failed = AlertPolicy.afterRun(STALE, false, "timeout");
        assertThat(failed.event()).isEqualTo(Alert.FAILED);
        assertThat(failed.next()).isEqualTo(new State("failed", "timeout", 1));

        assertThat(AlertPolicy.afterRun(STALE, true, null).event()).isEqualTo(Alert.RECOVERED);
    }
}
