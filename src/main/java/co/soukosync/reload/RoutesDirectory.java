package co.soukosync.reload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.apache.camel.spring.boot.CamelConfigurationProperties;
import co.soukosync.config.SoukosyncProperties;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * ROUTES_DIR set: the routes are loaded from that folder instead of the jar, and
 * {@link RoutesReloader} applies edits to it without a restart. An empty folder is first given
 * the routes the jar ships, so that a fresh compose volume works. A folder that cannot be used
 * leaves the shipped routes serving, and RoutesReloader says why.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${soukosync.routes.dir:}'.isBlank()")
class RoutesDirectory {

    /** The folder, and why it is not used (null when it is). */
    record Folder(Path path, String problem) {}

    // made before Camel reads its configuration when the application context is refreshed
    @Bean
    @Lazy(false)
    Folder routesFolder(SoukosyncProperties properties, CamelConfigurationProperties camel) {
        Path folder = Path.of(properties.routes().dir()).toAbsolutePath().normalize();
        try {
            seed(folder);
        } catch (IOException e) {
            return new Folder(folder, "cannot prepare ROUTES_DIR " + folder + ": " + e);
        }
        camel.getMain().setRoutesIncludePattern("file:" + folder + "/*.camel.yaml");
        // a broken file at start-up is skipped (and logged), not fatal; RoutesReloader applies edits
        camel.getMain().setRoutesCollectorIgnoreLoadingError(true);
        return new Folder(folder, null);
    }

    /** Camel's collector of routes, with the checks of an edit for the folder's files at start. */
    @Bean
    CheckedRoutesCollector checkedRoutesCollector(ApplicationContext context, CamelConfigurationProperties camel,
            WebEndpointProperties management, ServerProperties server) {
        return new CheckedRoutesCollector(context, camel.getMain().isIncludeNonSingletons(),
                RouteClaims.reserved(management.getBasePath(), server.getError().getPath()));
    }

    static void seed(Path folder) throws IOException {
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
    }
}
