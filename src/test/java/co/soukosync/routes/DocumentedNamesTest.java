package co.soukosync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A name the documents give in backquotes is a name the code has: a route id, a clause id or any other kebab-case
 * word the resources, the pom or the compose file use (outside their comments); a file ({@code x.sql},
 * {@code x.camel.yaml}, {@code X.java}); a class (a CamelCase word the sources or the pom use); a
 * {@code Class.method}. A route, bean, statement or class renamed or removed leaves the prose that named it failing
 * here, with the document and the line. A name of the past (what a change replaced) is written without backquotes.
 * Plain text, no context, in a fraction of a second.
 */
class DocumentedNamesTest {

    private static final List<Path> DOCUMENTS = Stream.concat(Stream.of(Path.of("README.md"), Path.of("routes/README.md")),
            list(Path.of("docs"), ".md").stream()).toList();
    /** Names of things outside our code: a package to install, a JVM's or Camel's names, a JMX attribute. */
    private static final Set<String> ELSEWHERE = Set.of("python3-prometheus-client", "CamelSqlUpdateCount",
            "OutOfMemoryError", "StatisticsEnabled");
    private static final Pattern QUOTED = Pattern.compile("`([^`\n]+)`");
    private static final Pattern KEBAB = Pattern.compile("[a-z][a-z0-9]*(?:-[a-z0-9]+)+");
    private static final Pattern FILE = Pattern.compile("[\\w.-]+\\.(?:sql|camel\\.yaml|java)");
    private static final Pattern CLASS = Pattern.compile("[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+");
    private static final Pattern MEMBER = Pattern.compile("([A-Z][A-Za-z0-9]+)\\.([a-z]\\w*)(?:\\(\\))?");

    @Test
    void everyNameTheDocumentsQuoteIsOneTheCodeHas() {
        // the resources without their comments: a comment that still names a route is no proof that it exists
        String resources = text(list(Path.of("src/main/resources"), ""), list(Path.of("src/test/resources"), ""),
                List.of(Path.of("pom.xml"), Path.of("docker-compose.yml")))
                .replaceAll("(?m)(^|\\s)#.*$", "$1").replaceAll("(?m)--.*$", "").replaceAll("(?s)<!--.*?-->", "");
        String sources = text(list(Path.of("src/main/java"), ".java"), list(Path.of("src/test/java"), ".java"),
                List.of(Path.of("pom.xml")));
        Set<String> files = Stream.of(list(Path.of("src"), ""), list(Path.of("scripts"), ""), list(Path.of("bench"), ""))
                .flatMap(List::stream).map(f -> f.getFileName().toString()).collect(Collectors.toSet());
        // the words of each, for the whole-word checks below (a regex per name took seconds)
        Set<String> resourceWords = words(resources, "[\\w-]+");
        Set<String> sourceWords = words(sources, "\\w+");
        List<String> unknown = new ArrayList<>();
        int checked = 0;
        for (Path document : DOCUMENTS) {
            String[] lines = read(document).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher quoted = QUOTED.matcher(lines[i]);
                while (quoted.find()) {
                    String name = quoted.group(1).strip();
                    Matcher member = MEMBER.matcher(name);
                    boolean known;
                    if (ELSEWHERE.contains(name)) {
                        continue;
                    } else if (FILE.matcher(name).matches()) {
                        known = files.contains(name);
                    } else if (KEBAB.matcher(name).matches()) {
                        known = resourceWords.contains(name) || sources.contains("\"" + name);
                    } else if (CLASS.matcher(name).matches()) {
                        known = sourceWords.contains(name);
                    } else if (member.matches() && CLASS.matcher(member.group(1)).matches()) {
                        known = classDeclares(member.group(1), member.group(2));
                    } else {
                        continue;
                    }
                    checked++;
                    if (!known) {
                        unknown.add(document + ":" + (i + 1) + "  `" + name + "`");
                    }
                }
            }
        }

        assertThat(unknown).withFailMessage(() -> "Names the documents give that the code does not have (renamed or "
                + "removed: say what it is now; a name of the past: without backquotes; a name outside our code: in "
                + "ELSEWHERE):\n  " + String.join("\n  ", unknown)).isEmpty();
        assertThat(checked).as("names checked").isGreaterThan(100);
    }

    private static boolean classDeclares(String type, String member) {
        return Stream.of(list(Path.of("src/main/java"), ".java"), list(Path.of("src/test/java"), ".java"))
                .flatMap(List::stream).filter(f -> f.getFileName().toString().equals(type + ".java"))
                .anyMatch(f -> Pattern.compile("\\b" + member + "\\b").matcher(read(f)).find());
    }

    /** The maximal runs of these characters in the text: a name is one of them when no such character touches it. */
    private static Set<String> words(String text, String word) {
        return Pattern.compile(word).matcher(text).results().map(MatchResult::group).collect(Collectors.toSet());
    }

    private static String text(List<Path>... groups) {
        StringBuilder text = new StringBuilder();
        for (List<Path> group : groups) {
            for (Path file : group) {
                text.append(read(file)).append('\n');
            }
        }
        return text.toString();
    }

    private static List<Path> list(Path folder, String suffix) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
