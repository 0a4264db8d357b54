package co.soukosync.delivery;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/** Counts each failed attempt to deliver (the onExceptionOccurred of the delivery's clauses). */
@Component("changesDeliveryFailed")
public class ChangesDeliveryFailed implements Processor {

    private final ChangesDelivery delivery;

    ChangesDeliveryFailed(ChangesDelivery delivery) {
        this.delivery = delivery;
    }

    @Override
    public void process(Exchange exchange) {
        delivery.failed(exchange);
    }
}
