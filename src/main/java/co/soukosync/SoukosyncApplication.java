package co.soukosync;

import co.soukosync.config.SoukosyncProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** Soukosync: keeps a PostgreSQL mirror of a Pulpo WMS user and that user's warehouses. */
@SpringBootApplication
@EnableConfigurationProperties(SoukosyncProperties.class)
public class SoukosyncApplication {

    public static void main(String[] args) {
        SpringApplication.run(SoukosyncApplication.class, args);
    }
}
