package org.medhub.cdshooks.standalone;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;

/**
 * Runs the CDS Hooks services on their own (with the ML engine they predict with), for deployments
 * that scale them apart; {@code medhub.services.fhir-base-url} then names the FHIR server to record
 * RiskAssessments in. The ML engine and the services use their own pools on the {@code ml} and
 * {@code cds} schemas, so Spring's single application DataSource is not configured.
 */
@SpringBootApplication(exclude = DataSourceAutoConfiguration.class)
public class CdsHooksApplication {

    public static void main(String[] args) {
        SpringApplication.run(CdsHooksApplication.class, args);
    }
}
