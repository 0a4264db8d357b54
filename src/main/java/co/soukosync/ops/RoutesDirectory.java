package co.soukosync.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * ROUTES_DIR set: the routes are loaded from that folder instead of the jar, and
 * {@link RoutesReloader} applies edits to it without a restart. An empty folder is first given
 * the routes the jar ships, so that a fresh compose volume works.
 */
public class RoutesDirectory implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String dir = environment.getProperty("soukosync.routes.dir", "");
        if (dir.isBlank()) {
            return;
        }
        Path folder = Path.of(dir).toAbsolutePath().normalize();
        Map<String, Object> camel = new HashMap<>();
        try {
            seed(folder);
        } catch (UncheckedIOException e) {
            // say why at start-up (RoutesReloader) and serve the shipped routes rather than none
            camel.put("soukosync.routes.problem", e.getMessage() + ": " + e.getCause());
            environment.getPropertySources().addFirst(new MapPropertySource("soukosyncRoutesDirectory", camel));
            return;
        }
        camel.put("camel.main.routes-include-pattern", "file:" + folder + "/*.camel.yaml");
        // a broken file at start-up is skipped (and logged), not fatal; RoutesReloader applies edits
        camel.put("camel.main.routes-collector-ignore-loading-error", "true");
        environment.getPropertySources().addFirst(new MapPropertySource("soukosyncRoutesDirectory", camel));
    }

    static void seed(Path folder) {
        try {
            Files.createDirectories(folder);
            try (Stream<Path> present = Files.list(folder)) {
                if (present.anyMatch(p -> p.getFileName().toString().endsWith(".camel.yaml"))) {
                    return;
                }
            }
            for (Resource route : new PathMatchingResourcePatternResolver().getResources("classpath:routes/*.camel.yaml")) {
                try (InputStream in = route.getInputStream()) {
                    Files.copy(in, folder.resolve(route.getFilename()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare ROUTES_DIR " + folder, e);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
