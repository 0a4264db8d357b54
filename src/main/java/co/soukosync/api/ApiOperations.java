package co.soukosync.api;

import io.swagger.v3.oas.models.OpenAPI;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumerAware;
import org.apache.camel.component.rest.openapi.DefaultRestOpenapiProcessorStrategy;
import org.apache.camel.support.service.ServiceHelper;
import org.springframework.stereotype.Component;

/**
 * How the contract route (sync-api.camel.yaml) hands each operation to {@code direct:<operationId>}:
 * Camel's own strategy (camel.component.rest-openapi.rest-openapi-processor-strategy), made safe
 * for a reload of that file. Camel shares one strategy among the contract routes and never stops
 * it, so its producers outlived a reload, and two requests at once right after one could reach
 * the stopped route of an operation (a direct producer renews its consumer in two steps, not
 * atomically): a 500. So each time a contract route starts, the producers and the paths of the
 * one before are dropped.
 */
@Component("apiOperations")
public class ApiOperations extends DefaultRestOpenapiProcessorStrategy {

    @Override
    public void validateOpenApi(OpenAPI openAPI, String basePath, PlatformHttpConsumerAware platformHttpConsumer)
            throws Exception {
        ServiceHelper.stopService(this);
        super.validateOpenApi(openAPI, basePath, platformHttpConsumer);
    }
}
