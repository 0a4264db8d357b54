package co.soukosync.upstream;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The upstream refused the credentials lately; asking again now would risk an IP ban. */
public class CredentialsRefusedException extends RuntimeException {

    public CredentialsRefusedException(Instant retryAfter) {
        super("the upstream refused the credentials; they are tried again after "
                + retryAfter.truncatedTo(ChronoUnit.SECONDS) + " (check API_USER and API_PASSWORD)");
    }
}
