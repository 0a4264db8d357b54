package co.soukosync.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** ALERT_WEBHOOK_HEADERS: "Name=Value" pairs, one per line or separated by ";". Their values are secrets. */
final class WebhookHeaders {

    static final String KEY = "soukosync.alerts.webhook-headers";

    private WebhookHeaders() {}

    static Map<String, String> parse(String text) {
        Map<String, String> parsed = new LinkedHashMap<>();
        if (text == null) {
            return parsed;
        }
        for (String pair : text.split("[;\\n]")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                parsed.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
            } else if (!pair.isBlank()) {
                throw new SettingException(KEY, "Name=Value pairs separated by ';'", true);
            }
        }
        return Collections.unmodifiableMap(parsed);
    }
}
