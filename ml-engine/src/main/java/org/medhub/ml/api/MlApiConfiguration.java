package org.medhub.ml.api;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The {@code /ml/api} controllers and their error handling. */
@Configuration(proxyBeanMethods = false)
@Import({
    DatasetController.class, TrainingController.class, ModelController.class, PredictionController.class,
    MlProblems.class
})
public class MlApiConfiguration {}
