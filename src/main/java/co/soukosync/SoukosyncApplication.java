package co.soukosync;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Soukosync: keeps a PostgreSQL mirror of a Pulpo WMS user and that user's warehouses. */
@SpringBootApplication
public class SoukosyncApplication {

    public static void main(String[] args) {
        SpringApplication.run(SoukosyncApplication.class, args);
    }
}
