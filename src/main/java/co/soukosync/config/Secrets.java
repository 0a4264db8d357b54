package co.soukosync.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.stereotype.Component;

/**
 * Every secret the service knows (the upstream password, manual token and the grant tokens it
 * has held, the API key, the database and management passwords, the alert webhook's URL and
 * headers), to take out of any text that could reach a log line, a history row or an answer:
 * failure messages quote what others said. The token store tells it of each token granted; the
 * security package keeps them out of every log line at every level (LogRedaction).
 */
@Component
public class Secrets {

    /** The grant tokens kept out of every text: the current one and those before it, for late log lines. */
    private static final int FORMER_TOKENS = 8;
    /** A shorter secret would redact ordinary words. */
    private static final int SHORTEST = 4;
    /** A webhook's path (and query) is a secret of its own from this length: Slack's, Teams' hold a token. */
    private static final int SHORTEST_WEBHOOK_PATH = 8;
    /** PostgreSQL's and compose's default password: a word of ordinary log lines ("postgresql"), no secret. */
    private static final String DEFAULT_DATABASE_PASSWORD = "postgres";

    private List<String> configured;
    private final Deque<String> formerTokens = new ArrayDeque<>();
    private volatile List<String> known;

    /** The secrets of the configuration, and the external database's password (absent in tests without a database). */
    @Autowired
    Secrets(SoukosyncProperties properties, ObjectProvider<DataSourceProperties> dataSource) {
        this(properties.api().password(), properties.api().token(), properties.apiKey(),
                dataSource.stream().map(DataSourceProperties::getPassword).findFirst().orElse(null),
                properties.management().user(), properties.management().password(), properties.alerts().webhookUrl(),
                properties.alerts().headers().values());
        endpointParts(properties.changes().endpoint()).forEach(this::configure);
    }

    public Secrets(String apiPassword, String apiToken, String apiKey, String databasePassword,
                   String managementUser, String managementPassword, String webhookUrl,
                   Collection<String> webhookHeaderValues) {
        List<String> all = new ArrayList<>(List.of(apiPassword, apiToken, apiKey, managementPassword, webhookUrl));
        if (!DEFAULT_DATABASE_PASSWORD.equals(databasePassword)) {
            all.add(databasePassword);
        }
        all.addAll(webhookParts(webhookUrl));
        all.addAll(webhookHeaderValues);
        if (!blank(managementUser) && !blank(managementPassword)) {
            // the console's credentials as a browser sends them ("Authorization: Basic …"), as HTTP logs show them
            all.add(Base64.getEncoder().encodeToString((managementUser.strip() + ":" + managementPassword.strip())
                    .getBytes(StandardCharsets.UTF_8)).replace("=", ""));
        }
        List<String> secrets = new ArrayList<>();
        for (String secret : all) {
            if (secret != null && secret.strip().length() >= SHORTEST && !secrets.contains(secret.strip())) {
                secrets.add(secret.strip());
            }
        }
        this.configured = List.copyOf(secrets);
        this.known = configured;
    }

    /**
     * A token the upstream has just granted: a secret from now on, and so are the last ones
     * before it, which late log lines may still quote.
     */
    public void granted(String token) {
        if (token == null || token.length() < SHORTEST) {
            return;
        }
        synchronized (formerTokens) {
            if (formerTokens.contains(token)) {
                return;
            }
            formerTokens.addFirst(token);
            while (formerTokens.size() > FORMER_TOKENS) {
                formerTokens.removeLast();
            }
            // every log line asks: the list is made again only when a token is granted
            known = Stream.concat(configured.stream(), formerTokens.stream()).toList();
        }
    }

    /** The text with every known secret replaced by "***". */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String redacted = text;
        for (String secret : known) {
            redacted = redacted.replace(secret, "***");
        }
        return redacted;
    }

    /** One more configured secret. */
    private void configure(String secret) {
        if (secret != null && secret.strip().length() >= SHORTEST && !configured.contains(secret.strip())) {
            configured = java.util.stream.Stream.concat(configured.stream(), Stream.of(secret.strip())).toList();
            known = configured;
        }
    }

    /**
     * What of CHANGES_ENDPOINT is a secret: its user info (https://user:password@…) and the values
     * of the parameters that hold a credential (password=, saslJaasConfig=, sslKeyPassword=,
     * accessKey=, secretKey=, token=…). The rest of the URI (a topic, brokers, a host) is not.
     */
    static List<String> endpointParts(String uri) {
        if (blank(uri)) {
            return List.of();
        }
        List<String> parts = new ArrayList<>(List.of(uri.strip()));
        java.util.regex.Matcher userInfo = java.util.regex.Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:(?://)?([^/@?#]+)@")
                .matcher(uri.strip());
        if (userInfo.find()) {
            parts.add(userInfo.group(1));
            int colon = userInfo.group(1).indexOf(':');
            if (colon >= 0) {
                parts.add(userInfo.group(1).substring(colon + 1));
            }
        }
        java.util.regex.Matcher parameter = java.util.regex.Pattern.compile(
                "[?&]([^=&]*(?:password|passphrase|secret|token|jaas|accesskey|credential|apikey)[^=&]*)=([^&]+)",
                java.util.regex.Pattern.CASE_INSENSITIVE).matcher(uri.strip());
        while (parameter.find()) {
            String value = parameter.group(2);
            parts.add(value);
            parts.add(java.net.URLDecoder.decode(value, StandardCharsets.UTF_8));
            if (value.startsWith("RAW(") && value.endsWith(")")) {
                parts.add(value.substring(4, value.length() - 1));
            }
        }
        return parts;
    }

    /** The webhook URL's user info, and its path and query when long enough to be its token. */
    private static List<String> webhookParts(String url) {
        if (blank(url)) {
            return List.of();
        }
        try {
            URI uri = new URI(url.strip());
            List<String> parts = new ArrayList<>();
            if (uri.getRawUserInfo() != null) {
                parts.add(uri.getRawUserInfo());
            }
            // without its first "/": a server that logs the path it was asked for may drop it
            String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
            String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
            for (String part : List.of(path + (query.isEmpty() ? "" : "?" + query), path, query)) {
                if (part.length() >= SHORTEST_WEBHOOK_PATH) {
                    parts.add(part);
                }
            }
            return parts;
        } catch (java.net.URISyntaxException e) {
            // not a URL the webhook could use either; the whole text is redacted all the same
            return List.of();
        }
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
