package co.soukosync.config;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Checks the configuration once the environment is read, before the application context, the
 * database or Camel start: {@link SoukosyncProperties} and the framework's settings that an
 * environment variable feeds. A value the service cannot use stops the start with one line that
 * names where it came from (the environment variable, as application.yaml reads it) and what it
 * accepts: "INTERVAL_SCHEDULER_SECONDS=often: not a whole number of seconds (1 or more)"
 * ({@link BadSettingAnalyzer} reports it, without a stack trace). Registered in
 * META-INF/spring.factories.
 */
public class ConfigurationCheck implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    /** The framework's whole-number settings that application.yaml feeds from a variable. */
    record Framework(String key, long min, long max, String unit) {}

    static final List<Framework> FRAMEWORK = List.of(
            new Framework("server.port", 0, 65535, ""),
            new Framework("camel.component.http.connect-timeout", 1, Long.MAX_VALUE, "milliseconds"),
            new Framework("camel.component.http.connection-request-timeout", 1, Long.MAX_VALUE, "milliseconds"),
            new Framework("camel.component.http.response-timeout", 1, Long.MAX_VALUE, "milliseconds"),
            new Framework("camel.component.http.so-timeout", 1, Long.MAX_VALUE, "milliseconds"),
            new Framework("spring.quartz.properties.org.quartz.jobStore.clusterCheckinInterval", 1, Long.MAX_VALUE,
                    "milliseconds"));

    /** ${NAME} or ${NAME:default}: the variable that application.yaml reads for a setting. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::([^${}]*)})?");

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        check(event.getEnvironment());
    }

    /** @throws BadSettingException for the first value the service cannot use */
    static void check(ConfigurableEnvironment environment) {
        try {
            Binder.get(environment).bind("soukosync", SoukosyncProperties.class);
            for (Framework setting : FRAMEWORK) {
                String text = environment.getProperty(setting.key());
                if (text != null && !whole(text.strip(), setting.min(), setting.max())) {
                    throw new SettingException(setting.key(), Settings.accepts(setting.min(), setting.max(), setting.unit()),
                            false);
                }
            }
        } catch (SettingException e) {
            throw bad(environment, e);
        } catch (BindException e) {
            throw bad(environment, e);
        }
    }

    private static boolean whole(String text, long min, long max) {
        try {
            long value = Long.parseLong(text);
            return value >= min && value <= max;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static BadSettingException bad(ConfigurableEnvironment environment, BindException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SettingException setting) {
                return bad(environment, setting);
            }
        }
        String key = failure.getProperty() != null ? failure.getProperty().getName().toString() : failure.getName().toString();
        String accepts = Settings.find(key).map(Settings.Setting::accepts).orElse("a value this setting takes");
        return bad(environment, new SettingException(key, accepts, false));
    }

    private static BadSettingException bad(ConfigurableEnvironment environment, SettingException failure) {
        Source source = source(environment, failure.key());
        String value = failure.secret() ? null : value(environment, failure.key());
        String line = source.name() + (value == null ? "" : "=" + value) + ": not " + failure.accepts();
        String action = "Set " + source.name() + " to " + failure.accepts()
                + (source.fallback() == null ? "" : ", or unset it for the default, " + source.fallback()) + ".";
        return new BadSettingException(line, action, failure);
    }

    /** Where a setting's value came from: the variable application.yaml reads, the environment variable, or the key. */
    private record Source(String name, String fallback) {}

    private static Source source(ConfigurableEnvironment environment, String key) {
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (ConfigurationPropertySources.isAttachedConfigurationPropertySource(source) || !source.containsProperty(key)) {
                continue;
            }
            Object raw = source.getProperty(key);
            Matcher variable = VARIABLE.matcher(raw == null ? "" : raw.toString());
            if (variable.find()) {
                return new Source(variable.group(1), variable.group(2) == null || variable.group(2).isEmpty() ? null : variable.group(2));
            }
            if (source instanceof OriginLookup<?> lookup && lookupOrigin(lookup, key) instanceof SystemEnvironmentOrigin origin) {
                return new Source(origin.getProperty(), null);
            }
            return new Source(source instanceof CommandLinePropertySource<?> ? "--" + key : key, null);
        }
        return new Source(key, null);
    }

    @SuppressWarnings("unchecked")
    private static Object lookupOrigin(OriginLookup<?> lookup, String key) {
        return ((OriginLookup<String>) lookup).getOrigin(key);
    }

    private static String value(ConfigurableEnvironment environment, String key) {
        try {
            String value = environment.getProperty(key);
            return value == null ? "" : value;
        } catch (IllegalArgumentException unresolvable) {
            return "";
        }
    }
}
