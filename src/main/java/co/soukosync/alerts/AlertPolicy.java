package co.soukosync.alerts;

/**
 * When to alert, as a pure function of where the alerts stand and what just happened: one alert
 * when an incident starts (the first failed run after a success, or a mirror gone stale), one
 * more when its reason changes, one when a run succeeds again; nothing for the failures in
 * between.
 */
final class AlertPolicy {

    /** Where the alerts stand: the incident in progress (null, "failed", "stale") and its reason. */
    record State(String incident, String reason, int consecutiveFailures) {
        static final State CALM = new State(null, null, 0);
    }

    /** The next state, and the event to announce (null: none). */
    record Decision(State next, String event) {}

    private AlertPolicy() {}

    static Decision afterRun(State state, boolean ok, String reason) {
        if (ok) {
            return new Decision(State.CALM, state.incident() == null ? null : Alert.RECOVERED);
        }
        State next = new State("failed", reason, state.consecutiveFailures() + 1);
        boolean announce = !"failed".equals(state.incident()) || !reason.equals(state.reason());
        return new Decision(next, announce ? Alert.FAILED : null);
    }

    static Decision stale(State state) {
        return state.incident() == null
                ? new Decision(new State("stale", "stale", state.consecutiveFailures()), Alert.STALE)
                : new Decision(state, null);
    }
}
