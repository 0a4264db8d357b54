package co.soukosync.upstream;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * Runs before the one retry of a data call that got 401: the cached grant token was revoked or
 * expired early, so it is dropped and the retried call obtains a new one.
 */
@Component("tokenInvalidation")
public class TokenInvalidation implements Processor {

    private final TokenStore tokens;

    TokenInvalidation(TokenStore tokens) {
        this.tokens = tokens;
    }

    @Override
    public void process(Exchange exchange) {
        tokens.invalidate();
    }
}
