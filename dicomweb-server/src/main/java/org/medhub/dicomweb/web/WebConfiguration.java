package org.medhub.dicomweb.web;

import org.medhub.dicomweb.index.PatientIdentifiers;
import org.medhub.platform.audit.AuditTrail;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/** What every DICOMweb endpoint shares: the access rules with their audit, and errors in the PS3.18 shape. */
@Configuration(proxyBeanMethods = false)
@Import(DicomwebExceptionHandler.class)
public class WebConfiguration {

    @Bean
    DicomwebAccess dicomwebAccess(AuditTrail auditTrail, Environment environment) {
        // The publisher's setting, read here too: the audit records name patients as the published Patients do.
        String defaultSystem = environment.getProperty(
                "medhub.dicomweb.publish.default-patient-identifier-system", PatientIdentifiers.DEFAULT_SYSTEM);
        return new DicomwebAccess(auditTrail, new PatientIdentifiers(defaultSystem));
    }
}
