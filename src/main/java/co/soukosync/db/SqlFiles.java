package co.soukosync.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.ClassPathResource;

/** The SQL statements that beans run themselves, read from src/main/resources/sql like the routes'. */
public final class SqlFiles {

    private SqlFiles() {}

    public static String read(String name) {
        try {
            return new ClassPathResource("sql/" + name).getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("missing SQL file sql/" + name, e);
        }
    }
}
