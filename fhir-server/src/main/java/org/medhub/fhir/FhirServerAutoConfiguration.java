package org.medhub.fhir;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import org.medhub.fhir.conformance.ConformanceConfiguration;
import org.medhub.fhir.persistence.FhirPersistenceConfiguration;
import org.medhub.fhir.rest.FhirRestConfiguration;
import org.medhub.fhir.security.FhirSecurityConfiguration;
import org.medhub.platform.database.DatabaseAutoConfiguration;
import org.medhub.platform.security.ResourceServerAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * Contributes the HAPI FHIR JPA server (R4) at {@code /fhir}. HAPI's own configuration classes
 * provide the DAOs, search and batch jobs; MedHub adds the database, the schema migration and the
 * REST servlet.
 */
@AutoConfiguration(after = {DatabaseAutoConfiguration.class, ResourceServerAutoConfiguration.class})
@ConditionalOnProperty(prefix = "medhub.fhir", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(FhirProperties.class)
@Import({
    JpaR4Config.class,
    JpaBatch2Config.class,
    Batch2JobsConfig.class,
    ThreadPoolFactoryConfig.class,
    SubscriptionChannelConfig.class,
    org.medhub.fhir.audit.FhirAuditConfiguration.class,
    FhirPersistenceConfiguration.class,
    FhirRestConfiguration.class,
    FhirSecurityConfiguration.class,
    ConformanceConfiguration.class
})
public class FhirServerAutoConfiguration {}
