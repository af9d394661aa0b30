package org.medhub.platform.database;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** Connects MedHub to its PostgreSQL: the configured one, or an embedded one when none is configured. */
@AutoConfiguration
@EnableConfigurationProperties(DatabaseProperties.class)
public class DatabaseAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DatabaseServer databaseServer(DatabaseProperties properties) {
        if (properties.external()) {
            return new ExternalDatabaseServer(properties.url(), properties.username(), properties.password());
        }
        return new EmbeddedDatabaseServer(properties.dataPath(), properties.embeddedPort());
    }

    @Bean
    SchemaDataSources schemaDataSources(DatabaseServer server, DatabaseProperties properties) {
        return new SchemaDataSources(server, properties.maxPoolSize());
    }
}
