package org.medhub.fhir.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.server.RestfulServer;
import jakarta.persistence.EntityManagerFactory;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.medhub.platform.audit.AuditPublisher;
import org.medhub.platform.audit.AuditTrail;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.orm.jpa.SharedEntityManagerCreator;

/**
 * The FHIR server's part of the audit trail: IHE BALP AuditEvents for every read, search, write,
 * history and operation on {@code /fhir} and for every refused request, recorded durably through the
 * platform's {@link AuditTrail}; and the {@link AuditPublisher} that stores all modules' audit events
 * as {@code AuditEvent} resources here.
 *
 * <p>Each interceptor registers itself on the REST server when created, so the REST configuration
 * needs no knowledge of auditing.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "medhub.audit", name = "enabled", havingValue = "true", matchIfMissing = true)
public class FhirAuditConfiguration {

    @Bean
    AuditPublisher fhirAuditPublisher(IFhirSystemDao<Bundle, Meta> systemDao, DaoRegistry daoRegistry,
            FhirContext fhirContext) {
        return new FhirAuditPublisher(systemDao, daoRegistry, fhirContext);
    }

    @Bean
    AfterAuthorizationBalpInterceptor balpAuditInterceptor(RestfulServer fhirRestfulServer, AuditTrail auditTrail) {
        AfterAuthorizationBalpInterceptor interceptor = new AfterAuthorizationBalpInterceptor(
                new TrailBalpSink(auditTrail), new SecurityContextBalpServices());
        fhirRestfulServer.registerInterceptor(interceptor);
        return interceptor;
    }

    @Bean
    FhirAccessAuditInterceptor fhirAccessAuditInterceptor(RestfulServer fhirRestfulServer, AuditTrail auditTrail) {
        FhirAccessAuditInterceptor interceptor = new FhirAccessAuditInterceptor(auditTrail);
        fhirRestfulServer.registerInterceptor(interceptor);
        return interceptor;
    }

    @Bean
    DeniedAccessAuditInterceptor deniedAccessAuditInterceptor(RestfulServer fhirRestfulServer, AuditTrail auditTrail) {
        DeniedAccessAuditInterceptor interceptor = new DeniedAccessAuditInterceptor(auditTrail);
        fhirRestfulServer.registerInterceptor(interceptor);
        return interceptor;
    }

    @Bean
    AuditRecordsDoNotBlockDeletes auditRecordsDoNotBlockDeletes(IInterceptorService jpaInterceptors,
            EntityManagerFactory entityManagerFactory, JpaStorageSettings storageSettings) {
        AuditRecordsDoNotBlockDeletes interceptor = new AuditRecordsDoNotBlockDeletes(
                SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory),
                storageSettings.getMaximumDeleteConflictQueryCount());
        jpaInterceptors.registerInterceptor(interceptor); // the storage layer's hooks: every delete, REST or not
        return interceptor;
    }

    @Bean
    AuditEventWriteGuard auditEventWriteGuard(RestfulServer fhirRestfulServer) {
        AuditEventWriteGuard guard = new AuditEventWriteGuard();
        fhirRestfulServer.registerInterceptor(guard);
        return guard;
    }
}
