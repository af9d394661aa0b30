package org.medhub.dicomweb.web;

import org.medhub.platform.audit.AuditTrail;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** What every DICOMweb endpoint shares: the access rules with their audit, and errors in the PS3.18 shape. */
@Configuration(proxyBeanMethods = false)
@Import(DicomwebExceptionHandler.class)
public class WebConfiguration {

    @Bean
    DicomwebAccess dicomwebAccess(AuditTrail auditTrail) {
        return new DicomwebAccess(auditTrail);
    }
}
