package co.soukosync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The route files are named one by one in camel.main.routes-include-pattern: loaded through a
 * wildcard from the packaged jar, their locations are "nested:" URLs that the Camel dev console
 * (/actuator/camel/source) cannot read, and it showed no source at all. Named, every file the
 * jar ships must be listed, or its routes would silently not exist.
 */
class RouteFilesListedTest {

    @Test
    void everyShippedRouteFileIsNamedInTheIncludePatternWithoutWildcards() throws Exception {
        List<PropertySource<?>> yaml = new YamlPropertySourceLoader()
                .load("application", new ClassPathResource("application.yaml"));
        String pattern = String.valueOf(yaml.get(0).getProperty("camel.main.routes-include-pattern"));

        List<String> listed = Arrays.stream(pattern.split(",")).toList();
        List<String> shipped = Arrays.stream(new PathMatchingResourcePatternResolver()
                        .getResources("classpath:routes/*.camel.yaml"))
                .map(Resource::getFilename)
                .map(name -> "classpath:routes/" + name)
                .toList();

        assertThat(shipped).isNotEmpty();
        assertThat(listed).as(pattern).allSatisfy(entry -> assertThat(entry).doesNotContain("*", " "));
        assertThat(listed).as(pattern).containsExactlyInAnyOrderElementsOf(shipped);
    }
}
