package org.medhub.cdshooks.feedback;

import com.zaxxer.hikari.HikariDataSource;
import org.medhub.ml.MlEngine;
import org.medhub.platform.database.SchemaDataSources;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The {@code cds} schema (migrated by its own Flyway, {@code db/cds}), the feedback store on it and
 * the per-version summary of how cards were received.
 */
@Configuration(proxyBeanMethods = false)
@Import(FeedbackSummaryController.class)
public class FeedbackConfiguration {

    static final String SCHEMA = "cds";

    /** The schema's own pool, held in a wrapper so that nothing else picks it up as the DataSource. */
    record CdsDatabase(HikariDataSource dataSource) implements AutoCloseable {
        @Override
        public void close() {
            dataSource.close();
        }
    }

    /**
     * Takes the ML engine only to migrate after it has (its beans stand on its migrated schema):
     * {@code V1} moves the tables the ML engine's own migrations created before cds-hooks owned them.
     */
    @Bean(destroyMethod = "close")
    CdsDatabase cdsDatabase(SchemaDataSources dataSources, MlEngine migratedFirst) {
        return new CdsDatabase(dataSources.migrated(SCHEMA));
    }

    @Bean
    FeedbackStore cdsFeedbackStore(CdsDatabase database) {
        return new FeedbackStore(database.dataSource());
    }
}
