package co.soukosync.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Every {@code soukosync.*} setting, bound once at start and checked then: a value the service
 * cannot use stops the start with one line that names its environment variable and what it
 * accepts ({@link ConfigurationCheck}). Environment variables enter in application.yaml, which
 * also holds the defaults; routes read the same keys as {@code {{placeholders}}}.
 *
 * @param demo the built-in demo upstream
 * @param apiKey SOUKOSYNC_API_KEY: set, every path but health, metrics and the OpenAPI document needs
 *        "Authorization: Bearer &lt;key&gt;"; blank, the API is open
 * @param db the database
 * @param api the upstream Pulpo API and its credentials
 * @param management the management console (Hawtio, Jolokia, the Camel dev console)
 * @param routes ROUTES_DIR and its hot reload
 * @param health the health component syncFreshness
 * @param alerts the alert webhook
 * @param upstream the upstream calls
 * @param token the upstream token
 * @param schedule the sync schedule
 * @param sync one sync run
 * @param history the run history and the change log
 * @param changes the delivery of the change feed to CHANGES_ENDPOINT
 */
@ConfigurationProperties("soukosync")
public record SoukosyncProperties(Demo demo, String apiKey, Db db, Api api, Management management, Routes routes,
                                  Health health, Alerts alerts, Upstream upstream, Token token, Schedule schedule,
                                  Sync sync, History history, Changes changes) {

    public SoukosyncProperties {
        Settings.check("soukosync", SoukosyncProperties.class, demo, apiKey, db, api, management, routes, health, alerts,
                upstream, token, schedule, sync, history, changes);
    }

    /**
     * How old the last successful run may be before the mirror is stale (health DOWN, a sync_stale
     * alert): SYNC_STALE_AFTER_SECONDS, or three scheduler intervals when that is 0.
     */
    public Duration staleAfter() {
        return Duration.ofSeconds(health.staleAfterSeconds() > 0 ? health.staleAfterSeconds() : 3 * schedule.intervalSeconds());
    }

    /** The built-in demo upstream serves: SOUKOSYNC_DEMO=true, or auto with none of DB_HOST, API_TOKEN, API_USER set. */
    public boolean demoMode() {
        if (!demo.auto()) {
            return demo.forced();
        }
        return blank(db.host()) && blank(api.token()) && blank(api.user());
    }

    /**
     * @param enabled SOUKOSYNC_DEMO: auto (the demo exactly when none of DB_HOST, API_TOKEN, API_USER is
     *        set), true or false
     */
    public record Demo(String enabled) {
        public Demo {
            if (!List.of("auto", "true", "false").contains(enabled == null ? "" : enabled.strip().toLowerCase(Locale.ROOT))) {
                throw new SettingException("soukosync.demo.enabled", "auto, true or false", false);
            }
        }

        public boolean auto() {
            return "auto".equalsIgnoreCase(enabled.strip());
        }

        /** SOUKOSYNC_DEMO=true: the demo whatever else is set. */
        public boolean forced() {
            return "true".equalsIgnoreCase(enabled.strip());
        }
    }

    /**
     * @param host DB_HOST: PostgreSQL's host; blank, an embedded PostgreSQL is started
     * @param embeddedDir DB_DATA_DIR: the embedded PostgreSQL's data folder (and its password file)
     * @param embeddedBinariesDir DB_BINARIES_DIR: where the embedded PostgreSQL's programs are unpacked and
     *        run from; a folder only this user may write
     * @param embeddedDurable fsync, synchronous_commit and full_page_writes on; only tests turn them off
     */
    public record Db(String host, Path embeddedDir, Path embeddedBinariesDir, boolean embeddedDurable) {}

    /**
     * @param baseUrl API_BASE_URL: the upstream's base URL
     * @param token API_TOKEN: a manual token, used as is; wins over the credentials
     * @param user API_USER: the password grant's user
     * @param password API_PASSWORD: the password grant's password
     */
    public record Api(String baseUrl, String token, String user, String password) {
        public Api {
            if (!httpUrl(baseUrl)) {
                throw new SettingException("soukosync.api.base-url", "an http:// or https:// URL", false);
            }
        }
    }

    /**
     * @param user MANAGEMENT_USER: with the password, the consoles' basic-auth user
     * @param password MANAGEMENT_PASSWORD: with the user, the consoles' password
     * @param devConsoles the Camel dev consoles served, those that observe without showing secrets or
     *        message bodies
     */
    public record Management(String user, String password, List<String> devConsoles) {}

    /**
     * @param dir ROUTES_DIR: set, the routes are loaded from this folder and reloaded when a file changes
     * @param pollMs how often the folder is read
     * @param settleMs how long a changed file must keep its content before it is applied
     */
    public record Routes(String dir, @Whole(min = 1, unit = "milliseconds") long pollMs,
                         @Whole(min = 0, unit = "milliseconds") long settleMs) {}

    /**
     * @param staleAfterSeconds SYNC_STALE_AFTER_SECONDS: no successful run for this long, health DOWN and
     *        a sync_stale alert; 0, three scheduler intervals
     */
    public record Health(@Whole(min = 0, unit = "seconds") long staleAfterSeconds) {}

    /**
     * @param webhookUrl ALERT_WEBHOOK_URL: set, a JSON POST to it when an incident starts, changes reason
     *        or ends
     * @param webhookHeaders ALERT_WEBHOOK_HEADERS: Name=Value pairs separated by ";", sent with every alert
     * @param retryDelayMs the pause before a failed webhook's second try (the third waits twice as long)
     * @param staleCheckSeconds how often a stale mirror is looked for
     */
    public record Alerts(String webhookUrl, String webhookHeaders, @Whole(min = 0, unit = "milliseconds") long retryDelayMs,
                         @Whole(min = 1, unit = "seconds") long staleCheckSeconds) {
        public Alerts {
            if (!blank(webhookUrl) && !httpUrl(webhookUrl)) {
                throw new SettingException("soukosync.alerts.webhook-url", "an http:// or https:// URL", true);
            }
            WebhookHeaders.parse(webhookHeaders);
        }

        /** ALERT_WEBHOOK_HEADERS, by name, in their order; the values are secrets. */
        public Map<String, String> headers() {
            return WebhookHeaders.parse(webhookHeaders);
        }
    }

    /**
     * @param callDeadlineSeconds HTTP_CALL_DEADLINE_SECONDS: each upstream call, the token grant too, must
     *        be whole within this, or its connection is cut
     */
    public record Upstream(@Whole(min = 1, unit = "seconds") long callDeadlineSeconds) {}

    /**
     * @param retrySeconds INTERVAL_RETRY_TOKEN_SECONDS: seconds between token retries after a network failure
     * @param renewBeforeSeconds a cached token is renewed this long before its expires_in runs out
     * @param refusedPauseSeconds TOKEN_REFUSED_PAUSE_SECONDS: after refused credentials, no grant for this
     *        long, doubling each time
     * @param refusedPauseMaxSeconds TOKEN_REFUSED_PAUSE_MAX_SECONDS: the longest such pause
     */
    public record Token(@Whole(min = 1, unit = "seconds") long retrySeconds,
                        @Whole(min = 0, unit = "seconds") long renewBeforeSeconds,
                        @Whole(min = 1, unit = "seconds") long refusedPauseSeconds,
                        @Whole(min = 1, unit = "seconds") long refusedPauseMaxSeconds) {}

    /**
     * @param enabled SYNC_SCHEDULE_ENABLED: false turns the schedule off
     * @param intervalSeconds INTERVAL_SCHEDULER_SECONDS: seconds between scheduled syncs
     */
    public record Schedule(boolean enabled, @Whole(min = 1, unit = "seconds") long intervalSeconds) {}

    /**
     * @param callWaitSeconds SYNC_CALL_WAIT_SECONDS: how long PATCH /api/syncall waits for a run in progress
     * @param maxRetries SYNC_MAX_RETRIES: more attempts after a transient upstream fault
     * @param retryDelayMs SYNC_RETRY_DELAY_MS: the first pause before a retry; each next one doubles it
     * @param lockKey the PostgreSQL advisory lock that lets one run at a time across the replicas
     * @param retryAfterBudgetSeconds SYNC_RETRY_AFTER_BUDGET_SECONDS: the most a run waits in all for the
     *        Retry-After of 429 answers
     * @param runDeadlineSeconds SYNC_RUN_DEADLINE_SECONDS: a run still going after this fails as timeout
     * @param maxUnlinkPercent SYNC_MAX_UNLINK_PERCENT: the brake on mass unlinking, in percent of the links
     * @param brakeMinLinks the brake applies from this many links of the user
     * @param unlinkWindowHours SYNC_UNLINK_WINDOW_HOURS: a run is also measured against the most links the
     *        user had within this many hours; 0, the links now only
     */
    public record Sync(@Whole(min = 0, unit = "seconds") long callWaitSeconds,
                       @Whole(min = 0) int maxRetries,
                       @Whole(min = 0, unit = "milliseconds") long retryDelayMs,
                       long lockKey,
                       @Whole(min = 0, unit = "seconds") long retryAfterBudgetSeconds,
                       @Whole(min = 1, unit = "seconds") long runDeadlineSeconds,
                       @Whole(min = 1, max = 100) int maxUnlinkPercent,
                       @Whole(min = 0, unit = "links") long brakeMinLinks,
                       @Whole(min = 0, unit = "hours") long unlinkWindowHours) {}

    /**
     * @param retryDelayMs a failed run's history row that the database refused is written again after this,
     *        then twice as late each time
     * @param retryMaxDelayMs the longest pause between those tries
     * @param repairIntervalSeconds how often runs left open by a stopped process are closed as interrupted
     * @param changeLog SYNC_CHANGE_LOG: false, runs log no changes (dry runs still answer theirs)
     * @param changesKeepDays SYNC_CHANGES_KEEP_DAYS: the change log of a run is kept this long
     * @param retentionIntervalSeconds how often older change logs are removed
     */
    public record History(@Whole(min = 0, unit = "milliseconds") long retryDelayMs,
                          @Whole(min = 0, unit = "milliseconds") long retryMaxDelayMs,
                          @Whole(min = 1, unit = "seconds") long repairIntervalSeconds,
                          boolean changeLog,
                          @Whole(min = 1, unit = "days") long changesKeepDays,
                          @Whole(min = 1, unit = "seconds") long retentionIntervalSeconds) {}

    /**
     * @param endpoint CHANGES_ENDPOINT: a Camel endpoint URI (kafka:topic?brokers=…, https://…, file:…, jms:…)
     *        that every committed change is delivered to, in seq order, at least once; blank, nothing is
     *        pushed and the delivery route does not start. A secret: it may hold credentials
     * @param stallSeconds CHANGES_STALL_SECONDS: delivery is stalled (health, a delivery_stalled alert) when
     *        its position has not moved for this long while changes wait
     * @param batchSize the changes read by one query and, to Kafka, sent as one exchange (one record each)
     * @param pollMs how often the feed is looked at for changes after the position
     * @param retryDelayMs the first pause before an endpoint that failed is tried again; each next one doubles it
     * @param retryMaxDelayMs the longest pause between those tries; a change the endpoint refused for good
     *        is tried again this often too, until it is accepted or skipped
     * @param leaseKey the PostgreSQL advisory lock that lets one replica deliver at a time
     * @param checkSeconds how often the lag is measured and a stalled delivery looked for
     */
    public record Changes(String endpoint,
                          @Whole(min = 1, unit = "seconds") long stallSeconds,
                          @Whole(min = 1, max = 10000, unit = "changes") int batchSize,
                          @Whole(min = 1, unit = "milliseconds") long pollMs,
                          @Whole(min = 1, unit = "milliseconds") long retryDelayMs,
                          @Whole(min = 1, unit = "milliseconds") long retryMaxDelayMs,
                          long leaseKey,
                          @Whole(min = 1, unit = "seconds") long checkSeconds) {

        /**
         * Kafka producer settings delivery rests on: acknowledged by every in-sync replica, in order
         * (the idempotent producer keeps it through its own retries), and each record of a page with
         * its own headers (camel-kafka gives every record of a list the first one's otherwise).
         */
        static final List<String> KAFKA_REQUIRED = List.of("requestRequiredAcks=all", "enableIdempotence=true",
                "batchWithIndividualHeaders=true");

        public Changes {
            if (!blank(endpoint) && !endpoint.strip().matches("[A-Za-z][A-Za-z0-9+.-]*:.+")) {
                throw new SettingException("soukosync.changes.endpoint",
                        "a Camel endpoint URI (kafka:topic?brokers=…, https://…, file:…)", true);
            }
            if (kafka(endpoint) && (endpoint.matches(".*[?&]requestRequiredAcks=(?!all(&|$)).*")
                    || endpoint.matches(".*[?&]enableIdempotence=(?!true(&|$)).*")
                    || endpoint.matches(".*[?&]batchWithIndividualHeaders=(?!true(&|$)).*"))) {
                throw new SettingException("soukosync.changes.endpoint",
                        "a kafka: URI without requestRequiredAcks, enableIdempotence or batchWithIndividualHeaders other than"
                                + " all, true and true (the acknowledgement, the order and the headers depend on them)", true);
            }
        }

        /** CHANGES_ENDPOINT is set: the changes are delivered. */
        public boolean configured() {
            return !blank(endpoint);
        }

        /** A kafka: endpoint: a batch goes as one exchange, a record per change. */
        public boolean kafka() {
            return kafka(endpoint);
        }

        /**
         * The endpoint as the route sends to it: for Kafka with the producer settings delivery
         * relies on (acks from all in-sync replicas, the idempotent producer that keeps order
         * through its own retries) added when the URI does not name them.
         */
        public String uri() {
            if (!configured()) {
                return null;
            }
            String uri = endpoint.strip();
            if (kafka()) {
                for (String required : KAFKA_REQUIRED) {
                    if (!uri.contains(required.substring(0, required.indexOf('=') + 1))) {
                        uri += (uri.contains("?") ? "&" : "?") + required;
                    }
                }
            }
            return uri;
        }

        private static boolean kafka(String endpoint) {
            return !blank(endpoint) && endpoint.strip().toLowerCase(Locale.ROOT).startsWith("kafka:");
        }
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static boolean httpUrl(String text) {
        try {
            URI uri = new URI(text == null ? "" : text.strip());
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
