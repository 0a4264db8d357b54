package co.soukosync.groups;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.platform.suite.api.ExcludeClassNamePatterns;
import org.junit.platform.suite.api.SelectClasses;

/** ITGroup3 leaves out exactly the classes that the other groups run, each of which exists: no class runs twice or never. */
class ITGroupsTest {

    private static List<String> named() {
        return Stream.of(ITGroup1.class, ITGroup2.class)
                .flatMap(group -> Arrays.stream(group.getAnnotation(SelectClasses.class).names())).toList();
    }

    @Test
    void theLastGroupLeavesOutExactlyTheClassesOfTheOthers() {
        List<String> excluded = Arrays.stream(ITGroup3.class.getAnnotation(ExcludeClassNamePatterns.class).value())
                .map(pattern -> pattern.replace("\\.", ".")).toList();

        assertThat(excluded).containsExactlyInAnyOrderElementsOf(named()).doesNotHaveDuplicates();
    }

    @Test
    void everyNamedClassExists() throws Exception {
        for (String name : named()) {
            assertThat(Class.forName(name, false, ITGroupsTest.class.getClassLoader()).getSimpleName()).endsWith("IT");
        }
    }
}
