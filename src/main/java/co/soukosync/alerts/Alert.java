package co.soukosync.alerts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the webhook receives: one JSON object per event of an incident. The delivery's
 * (delivery_stalled, delivery_recovered) carry the seq of the change it stopped on or moved to.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Alert(
        String event,
        @JsonProperty("run_id") Long runId,
        String date,
        String reason,
        String stage,
        String message,
        @JsonProperty("consecutive_failures") int consecutiveFailures,
        String service,
        Long seq) {

    public static final String FAILED = "sync_failed";
    public static final String RECOVERED = "sync_recovered";
    public static final String STALE = "sync_stale";

    /** An alert of a run or of a stale mirror (no change of the feed in it). */
    public Alert(String event, Long runId, String date, String reason, String stage, String message,
                 int consecutiveFailures, String service) {
        this(event, runId, date, reason, stage, message, consecutiveFailures, service, null);
    }
}
