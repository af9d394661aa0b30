package org.medhub.ml.runs;

import org.medhub.ml.MlProperties;
import org.medhub.ml.dataset.DatasetStore;
import org.medhub.ml.registry.ModelRegistry;
import org.medhub.ml.train.TrainingPipeline;
import org.medhub.ml.train.TrainingRuns;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** {@code /ml/api/training-runs} and the training use case behind it. */
@Configuration(proxyBeanMethods = false)
@Import(TrainingController.class)
public class TrainingRunsConfiguration {

    @Bean
    TrainingRunService trainingRunService(DatasetStore datasets, TrainingPipeline pipeline, TrainingRuns runs,
            ModelRegistry registry, MlProperties properties) {
        return new TrainingRunService(datasets, pipeline, runs, registry, properties);
    }
}
