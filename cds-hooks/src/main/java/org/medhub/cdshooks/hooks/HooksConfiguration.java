package org.medhub.cdshooks.hooks;

import org.medhub.cdshooks.CdsProperties;
import org.medhub.ml.predict.Predictions;
import org.medhub.ml.registry.ModelRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The CDS Hooks endpoints and their error handling. */
@Configuration(proxyBeanMethods = false)
@Import({HookController.class, CdsProblems.class})
public class HooksConfiguration {

    @Bean
    RiskHook cdsRiskHook(ModelRegistry registry, Predictions predictions, CdsProperties properties) {
        return new RiskHook(registry, predictions, properties.thresholds(), properties.maxObservationAge());
    }
}
