package co.soukosync.alerts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** What the webhook receives: one JSON object per event of an incident. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Alert(
        String event,
        @JsonProperty("run_id") Long runId,
        String date,
        String reason,
        String stage,
        String message,
        @JsonProperty("consecutive_failures") int consecutiveFailures,
        String service) {

    public static final String FAILED = "sync_failed";
    public static final String RECOVERED = "sync_recovered";
    public static final String STALE = "sync_stale";
}
