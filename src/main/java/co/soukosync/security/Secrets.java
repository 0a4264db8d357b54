package co.soukosync.security;

import co.soukosync.alerts.Alerts;
import co.soukosync.upstream.TokenStore;
import co.soukosync.upstream.Upstream;
import org.springframework.beans.factory.annotation.Autowired;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Every secret the service knows (the upstream password, manual token and current grant token,
 * the API key, the database and management passwords, the alert webhook's URL and headers), to take out of any text that could
 * reach a log line, a history row or an answer: failure messages quote what others said.
 */
@Component
public class Secrets {

    private final List<String> configured;
    private final TokenStore tokens;

    @Autowired
    Secrets(TokenStore tokens, Upstream upstream,
            @Value("${soukosync.api-key:}") String apiKey,
            @Value("${spring.datasource.password:}") String databasePassword,
            @Value("${soukosync.management.password:}") String managementPassword,
            @Value("${soukosync.alerts.webhook-url:}") String webhookUrl,
            @Value("${soukosync.alerts.webhook-headers:}") String webhookHeaders) {
        this(tokens, upstream.password(), upstream.token(), apiKey, databasePassword, managementPassword, webhookUrl,
                webhookHeaders);
    }

    public Secrets(TokenStore tokens, String apiPassword, String apiToken, String apiKey, String databasePassword,
                   String managementPassword, String webhookUrl, String webhookHeaders) {
        this.tokens = tokens;
        List<String> secrets = new ArrayList<>();
        // a webhook's URL often is its secret (a token in the path)
        List<String> all = new ArrayList<>(List.of(apiPassword, apiToken, apiKey, databasePassword, managementPassword, webhookUrl));
        all.addAll(Alerts.parseHeaders(webhookHeaders).values());
        for (String secret : all) {
            if (secret != null && secret.strip().length() >= 4) {
                secrets.add(secret.strip());
            }
        }
        this.configured = List.copyOf(secrets);
    }

    /** The text with every known secret replaced by "***". */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String redacted = text;
        for (String secret : Stream.concat(configured.stream(), Stream.ofNullable(tokens.currentToken())).toList()) {
            if (secret.length() >= 4) {
                redacted = redacted.replace(secret, "***");
            }
        }
        return redacted;
    }
}
