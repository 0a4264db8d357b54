package co.soukosync.db;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The service's embedded database configuration in a JVM of its own, so that a test can kill
 * that JVM with SIGKILL as an operator's {@code kill -9} of the service would. Writes one row,
 * says READY, then waits to be killed; with "stop" after the folder, stops as a service would.
 */
final class EmbeddedDatabaseProcess {

    private EmbeddedDatabaseProcess() {
    }

    public static void main(String[] args) {
        EmbeddedDatabaseIT.service(Path.of(args[0])).run(context -> {
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            jdbc.execute("CREATE TABLE kept (note text)");
            jdbc.update("INSERT INTO kept VALUES ('written before the kill')");
            System.out.println("READY");
            System.out.flush();
            if (args.length < 2 || !"stop".equals(args[1])) {
                new CountDownLatch(1).await();
            }
        });
    }
}
