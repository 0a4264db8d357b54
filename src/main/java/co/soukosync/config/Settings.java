package co.soukosync.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The settings that {@link SoukosyncProperties} binds, one per record component that is not a
 * section of its own: their keys (kebab-case, as application.yaml writes them), what each accepts,
 * and the check of the whole numbers' bounds ({@link Whole}).
 */
final class Settings {

    /** One setting: its key, its component, and its value once bound (null when only the keys are asked). */
    record Setting(String key, RecordComponent component, Object value) {

        /** What the setting accepts, in words: "a whole number of seconds (1 or more)", "true or false". */
        String accepts() {
            Whole whole = component.getAnnotation(Whole.class);
            Class<?> type = component.getType();
            if (whole != null) {
                return Settings.accepts(whole.min(), whole.max(), whole.unit());
            }
            if (type == long.class || type == int.class || type == Long.class || type == Integer.class) {
                return "a whole number";
            }
            if (type == boolean.class || type == Boolean.class) {
                return "true or false";
            }
            return "a " + type.getSimpleName().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private Settings() {}

    /** Every setting of the configuration, by key. */
    static List<Setting> all() {
        List<Setting> all = new ArrayList<>();
        collect("soukosync", SoukosyncProperties.class, null, all);
        return all;
    }

    static Optional<Setting> find(String key) {
        return all().stream().filter(setting -> setting.key().equals(key)).findFirst();
    }

    /**
     * Checks the bounds of the whole numbers of a record being made, given its components' values in
     * their order; a section's own settings were checked when it was made.
     *
     * @throws SettingException naming the first setting out of bounds
     */
    static void check(String prefix, Class<? extends Record> type, Object... values) {
        List<Setting> settings = new ArrayList<>();
        collect(prefix, type, values, settings);
        for (Setting setting : settings) {
            Whole whole = setting.component().getAnnotation(Whole.class);
            if (whole != null && setting.value() instanceof Number number
                    && (number.longValue() < whole.min() || number.longValue() > whole.max())) {
                throw new SettingException(setting.key(), setting.accepts(), false);
            }
        }
    }

    /** "a whole number of seconds (1 or more)", "a whole number from 1 to 100". */
    static String accepts(long min, long max, String unit) {
        String number = unit.isEmpty() ? "a whole number" : "a whole number of " + unit;
        if (max != Long.MAX_VALUE) {
            return number + " from " + min + " to " + max;
        }
        return min == Long.MIN_VALUE ? number : number + " (" + min + " or more)";
    }

    private static void collect(String prefix, Class<? extends Record> type, Object[] values, List<Setting> into) {
        RecordComponent[] components = type.getRecordComponents();
        if (values != null && values.length != components.length) {
            throw new IllegalArgumentException(type.getSimpleName() + " has " + components.length + " components, not "
                    + values.length);
        }
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            String key = prefix + "." + kebab(component.getName());
            Object value = values == null ? null : values[i];
            if (component.getType().isRecord()) {
                @SuppressWarnings("unchecked")
                Class<? extends Record> section = (Class<? extends Record>) component.getType();
                collect(key, section, value == null ? null : componentsOf(value), into);
            } else {
                into.add(new Setting(key, component, value));
            }
        }
    }

    private static Object[] componentsOf(Object record) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            try {
                values[i] = components[i].getAccessor().invoke(record);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + components[i].getName(), e);
            }
        }
        return values;
    }

    /** intervalSeconds: interval-seconds, as the key is written. */
    static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
