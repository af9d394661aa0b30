package org.medhub.ml.standalone;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;

/**
 * Runs the ML engine on its own, for deployments that scale it apart from the other modules. The
 * engine uses its own pool on the {@code ml} schema, so Spring's single application DataSource is
 * not configured.
 */
@SpringBootApplication(exclude = DataSourceAutoConfiguration.class)
public class MlEngineApplication {

    public static void main(String[] args) {
        SpringApplication.run(MlEngineApplication.class, args);
    }
}
