package org.medhub.ml;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.medhub.ml.api.MlApiConfiguration;
import org.medhub.ml.cohort.CohortPulls;
import org.medhub.ml.cohort.FhirSource;
import org.medhub.ml.dataset.DatasetStore;
import org.medhub.ml.jobs.BoundedJobs;
import org.medhub.ml.predict.PredictionController;
import org.medhub.ml.predict.Predictions;
import org.medhub.ml.registry.ModelExchange;
import org.medhub.ml.registry.ModelRegistry;
import org.medhub.ml.runs.TrainingRunsConfiguration;
import org.medhub.ml.train.TrainingPipeline;
import org.medhub.ml.train.TrainingRuns;
import org.medhub.platform.audit.AuditAutoConfiguration;
import org.medhub.platform.database.DatabaseAutoConfiguration;
import org.medhub.platform.database.SchemaDataSources;
import org.medhub.platform.security.ResourceServerAutoConfiguration;
import org.medhub.platform.services.ServiceClients;
import org.medhub.platform.services.ServiceCredentials;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Contributes the ML engine: the {@code ml} schema (migrated by its own Flyway, {@code db/ml}), the
 * model registry, the dataset store, FHIR cohort pulls, the training pipeline on a worker pool bounded by the cores,
 * and the REST API at {@code /ml/api}.
 */
@AutoConfiguration(after = {
    DatabaseAutoConfiguration.class, ResourceServerAutoConfiguration.class, AuditAutoConfiguration.class,
    JacksonAutoConfiguration.class
})
@ConditionalOnProperty(prefix = "medhub.ml", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(MlProperties.class)
@Import({MlApiConfiguration.class, PredictionController.class, TrainingRunsConfiguration.class})
public class MlEngineAutoConfiguration {

    static final String SCHEMA = "ml";

    /** The schema's own pool, held in a wrapper so that nothing else picks it up as the DataSource. */
    record MlDatabase(HikariDataSource dataSource) implements AutoCloseable {
        @Override
        public void close() {
            dataSource.close();
        }
    }

    @Bean(destroyMethod = "close")
    MlDatabase mlDatabase(SchemaDataSources dataSources) {
        return new MlDatabase(dataSources.migrated(SCHEMA));
    }

    @Bean
    ModelRegistry modelRegistry(MlDatabase database, ObjectMapper json) {
        return new ModelRegistry(database.dataSource(), json);
    }

    @Bean
    ModelExchange modelExchange(MlDatabase database, ModelRegistry registry, ObjectMapper json) {
        return new ModelExchange(database.dataSource(), registry, json);
    }

    @Bean
    DatasetStore datasetStore(MlDatabase database, ObjectMapper json) {
        return new DatasetStore(database.dataSource(), json);
    }

    /**
     * Cohort pulls read {@code /fhir} with the ML engine's service identity (client credentials of
     * {@code medhub.services.clients.ml}), resolved at each pull so that a server without it still
     * runs everything else and answers cohort requests with what is missing.
     */
    @Bean(destroyMethod = "close")
    CohortPulls cohortPulls(DatasetStore datasets, ObjectProvider<ServiceClients> services, MlProperties properties) {
        return new CohortPulls(BoundedJobs.pool(1, properties.maxQueuedPulls(), "ml-cohort-"), properties.maxQueuedPulls(),
                datasets, () -> {
            ServiceClients clients = services.getObject();
            ServiceCredentials credentials = clients.credentials("ml");
            return new FhirSource(clients.fhirBaseUrl(), credentials::bearerToken);
        }, Clock.systemUTC());
    }

    /** Owns its worker pool (not an ExecutorService bean, which other modules could pick up by type). */
    @Bean(destroyMethod = "close")
    TrainingPipeline trainingPipeline(MlProperties properties) {
        ExecutorService workers = Executors.newFixedThreadPool(properties.effectiveWorkerThreads(),
                BoundedJobs.daemonThreads("ml-worker-"));
        return new TrainingPipeline(workers, properties.subgroupTolerance(), properties.minSubgroupSize(),
                properties.referenceSize());
    }

    @Bean(destroyMethod = "close")
    TrainingRuns trainingRuns(MlProperties properties) {
        return new TrainingRuns(BoundedJobs.pool(properties.concurrentRuns(), properties.maxQueuedRuns(), "ml-run-"),
                properties.maxQueuedRuns());
    }

    @Bean
    Predictions predictions(ModelRegistry registry) {
        return new Predictions(registry);
    }

    /** What other modules call (cds-hooks); they use no other bean of the engine. */
    @Bean
    MlEngine mlEngine(ModelRegistry registry, Predictions predictions) {
        return new MlEngine(registry, predictions);
    }
}
