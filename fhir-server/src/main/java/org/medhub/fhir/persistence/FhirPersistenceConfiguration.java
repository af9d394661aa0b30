package org.medhub.fhir.persistence;

import ca.uhn.fhir.batch2.api.IJobMaintenanceService;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect;
import ca.uhn.fhir.jpa.search.IStaleSearchDeletingSvc;
import ca.uhn.fhir.jpa.search.StaleSearchDeletingSvcImpl;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.persistence.EntityManagerFactory;
import java.util.Properties;
import javax.sql.DataSource;
import org.medhub.fhir.FhirProperties;
import org.medhub.platform.database.SchemaDataSources;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.transaction.annotation.EnableTransactionManagement;

/**
 * HAPI's JPA storage on the {@code fhir} schema of the MedHub database: its connection pool, the
 * migrated schema, the entity manager and the storage rules.
 */
@Configuration(proxyBeanMethods = false)
@EnableTransactionManagement
public class FhirPersistenceConfiguration {

    static final String SCHEMA = "fhir";

    /** The pool is migrated before anything can use it: the entity manager depends on this bean. */
    @Bean(destroyMethod = "close")
    HikariDataSource fhirDataSource(SchemaDataSources dataSources) {
        HikariDataSource dataSource = dataSources.forSchema(SCHEMA);
        FhirSchemaMigration.migrate(dataSource);
        return dataSource;
    }

    @Primary
    @Bean
    LocalContainerEntityManagerFactoryBean entityManagerFactory(
            DataSource fhirDataSource,
            ConfigurableListableBeanFactory beanFactory,
            FhirContext fhirContext,
            JpaStorageSettings storageSettings) {
        LocalContainerEntityManagerFactoryBean factory =
                HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
        factory.setPersistenceUnitName("HAPI_PU");
        factory.setDataSource(fhirDataSource);
        factory.setJpaProperties(hibernateProperties());
        return factory;
    }

    @Primary
    @Bean
    JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
        return new JpaTransactionManager(entityManagerFactory);
    }

    @Bean
    JpaStorageSettings storageSettings() {
        JpaStorageSettings settings = new JpaStorageSettings();
        // Data integrity first: references must resolve, nothing is invented to satisfy them.
        settings.setEnforceReferentialIntegrityOnWrite(true);
        settings.setEnforceReferentialIntegrityOnDelete(true);
        settings.setAutoCreatePlaceholderReferenceTargets(false);
        // Audit records name what they are about by literal reference (so that AuditEvent?patient= finds
        // them) yet do not keep an audited resource from being deleted: audit/AuditRecordsDoNotBlockDeletes.
        // Destructive or expensive operations stay off unless an operator turns them on deliberately.
        settings.setExpungeEnabled(false);
        settings.setDeleteExpungeEnabled(false);
        settings.setAllowMultipleDelete(false);
        settings.setAllowExternalReferences(false);
        // No Hibernate Search (no Lucene index to corrupt); :contains and _text need it.
        settings.setAllowContainsSearches(false);
        settings.setHibernateSearchIndexSearchParams(false);
        settings.setEnableTaskBulkExportJobExecution(true);
        return settings;
    }

    /** Expired cached searches are deleted periodically, or the search tables grow without bound. */
    @Bean
    IStaleSearchDeletingSvc staleSearchDeletingSvc() {
        return new StaleSearchDeletingSvcImpl();
    }

    @Bean
    BatchStepInterval batchStepInterval(IJobMaintenanceService maintenance, FhirProperties properties) {
        return new BatchStepInterval(maintenance, properties.bulkExport().stepInterval());
    }

    @Bean
    PartitionSettings partitionSettings() {
        return new PartitionSettings();
    }

    private static Properties hibernateProperties() {
        Properties properties = new Properties();
        properties.put("hibernate.dialect", HapiFhirPostgresDialect.class.getName());
        // The schema belongs to HAPI's migrator (FhirSchemaMigration), never to Hibernate.
        properties.put("hibernate.hbm2ddl.auto", "none");
        properties.put("hibernate.search.enabled", "false");
        properties.put("hibernate.jdbc.batch_size", "50");
        properties.put("hibernate.order_inserts", "true");
        properties.put("hibernate.order_updates", "true");
        properties.put("hibernate.cache.use_query_cache", "false");
        properties.put("hibernate.cache.use_second_level_cache", "false");
        properties.put("hibernate.cache.use_structured_entries", "false");
        properties.put("hibernate.cache.use_minimal_puts", "false");
        properties.put("hibernate.format_sql", "false");
        properties.put("hibernate.show_sql", "false");
        return properties;
    }
}
