package co.soukosync.delivery;

/**
 * An incident of the delivery to announce (alerts.camel.yaml): delivery_stalled, once when it
 * starts, and delivery_recovered when the position moves again.
 *
 * @param event delivery_stalled or delivery_recovered
 * @param seq the change delivery stopped on (stalled), or the position it moved to (recovered)
 * @param reason rejected (the endpoint refused the change for good), stalled (the position did not move for
 *        CHANGES_STALL_SECONDS while changes waited), purged (retention deleted changes not yet delivered)
 * @param message one line, for a person
 */
public record DeliveryEvent(String event, long seq, String reason, String message) {

    public static final String STALLED = "delivery_stalled";
    public static final String RECOVERED = "delivery_recovered";
}
