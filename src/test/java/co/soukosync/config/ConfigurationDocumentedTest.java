package co.soukosync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * README.md's configuration tables and the settings the service reads say the same: every
 * environment variable that application.yaml reads has a row in the table of variables, every
 * soukosync.* setting that no variable feeds has one in the table of properties, and every row
 * names something the service reads. No Spring context: application.yaml, the README and the
 * records of {@link SoukosyncProperties}.
 */
class ConfigurationDocumentedTest {

    /** Variables of the platform that application.yaml consults for a default, not settings of ours. */
    private static final Set<String> PLATFORM = Set.of("XDG_CACHE_HOME");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    /** application.yaml: each key, and its text as written (a variable's ${NAME:default} unresolved). */
    private static final Map<String, String> yaml = new LinkedHashMap<>();
    private static List<String> readme;

    @BeforeAll
    static void read() throws IOException {
        EnumerablePropertySource<?> source = (EnumerablePropertySource<?>) new YamlPropertySourceLoader()
                .load("application", new ClassPathResource("application.yaml")).get(0);
        for (String key : source.getPropertyNames()) {
            yaml.put(key, String.valueOf(source.getProperty(key)));
        }
        readme = Files.readAllLines(Path.of("README.md"));
    }

    @Test
    void everyVariableTheServiceReadsHasARowAndEveryRowIsRead() {
        Set<String> read = new TreeSet<>();
        yaml.values().forEach(text -> variables(text).forEach(read::add));
        read.removeAll(PLATFORM);
        Set<String> documented = new TreeSet<>();
        table("| variable |").forEach(row -> names(row).forEach(documented::add));

        assertThat(documented).as("the variables in README.md's table").containsExactlyInAnyOrderElementsOf(read);
    }

    @Test
    void everySettingWithoutAVariableHasARowAndEveryRowIsOne() {
        Set<String> withoutVariable = new TreeSet<>();
        for (Settings.Setting setting : Settings.all()) {
            if (variables(yaml.getOrDefault(setting.key(), "")).isEmpty()) {
                withoutVariable.add(setting.key());
            }
        }
        Set<String> documented = new TreeSet<>();
        table("| property |").forEach(row -> names(row).forEach(documented::add));

        assertThat(documented).as("the properties in README.md's table").containsExactlyInAnyOrderElementsOf(withoutVariable);
    }

    @Test
    void everySettingHasItsDefaultInApplicationYamlAndEveryKeyThereIsBound() {
        Set<String> bound = new TreeSet<>();
        Settings.all().forEach(setting -> bound.add(setting.key()));
        Set<String> written = new TreeSet<>();
        yaml.keySet().stream().filter(key -> key.startsWith("soukosync.")).forEach(written::add);

        assertThat(written).as("the soukosync.* keys of application.yaml").containsExactlyInAnyOrderElementsOf(bound);
    }

    private static List<String> variables(String text) {
        List<String> found = new ArrayList<>();
        Matcher variable = VARIABLE.matcher(text);
        while (variable.find()) {
            found.add(variable.group(1));
        }
        return found;
    }

    /** The first cells of the rows of the README table whose header starts so. */
    private static List<String> table(String header) {
        int start = -1;
        for (int i = 0; i < readme.size(); i++) {
            if (readme.get(i).startsWith(header)) {
                assertThat(start).as("one table starts with " + header).isEqualTo(-1);
                start = i;
            }
        }
        assertThat(start).as("README.md has a table that starts with " + header).isNotNegative();
        List<String> cells = new ArrayList<>();
        for (int i = start + 2; i < readme.size() && readme.get(i).startsWith("|"); i++) {
            cells.add(readme.get(i).split("\\|")[1]);
        }
        return cells;
    }

    /** The names in a first cell: `A`, `B`; "`…suffix`" is the name before it with its last part replaced. */
    private static List<String> names(String cell) {
        List<String> names = new ArrayList<>();
        Matcher code = CODE.matcher(cell);
        while (code.find()) {
            String name = code.group(1);
            if (name.startsWith("…") && !names.isEmpty()) {
                String before = names.get(names.size() - 1);
                name = before.substring(0, before.lastIndexOf('.') + 1) + name.substring(1);
            }
            names.add(name);
        }
        return names;
    }
}
