package org.medhub.fhir.conformance;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the server publishes about the FHIR MedHub writes: the definitions of its extensions. */
@Configuration(proxyBeanMethods = false)
public class ConformanceConfiguration {

    @Bean
    DefinitionPublisher fhirDefinitionPublisher(DaoRegistry daoRegistry) {
        return new DefinitionPublisher(daoRegistry);
    }
}
