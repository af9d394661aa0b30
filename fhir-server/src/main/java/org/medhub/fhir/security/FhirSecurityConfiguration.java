package org.medhub.fhir.security;

import ca.uhn.fhir.rest.server.RestfulServer;
import org.medhub.platform.security.PublicEndpoints;
import org.medhub.platform.security.SecurityProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Security of {@code /fhir}: which paths are public (the CapabilityStatement and SMART discovery,
 * as the standards require), HAPI's authorization interceptor on every request, and the SMART
 * configuration document. Tokens themselves are validated by the platform's resource server.
 */
@Configuration(proxyBeanMethods = false)
public class FhirSecurityConfiguration {

    @Bean
    PublicEndpoints fhirPublicEndpoints() {
        return PublicEndpoints.of("/fhir/metadata", SmartConfigurationServlet.PATH);
    }

    @Bean
    FhirAuthorization fhirAuthorization(RestfulServer fhirRestfulServer) {
        FhirAuthorization authorization = new FhirAuthorization();
        fhirRestfulServer.registerInterceptor(authorization);
        fhirRestfulServer.registerInterceptor(new CapabilityStatementSecurity());
        fhirRestfulServer.registerInterceptor(new AuditEventReadGuard());
        return authorization;
    }

    /** An exact servlet mapping wins over HAPI's {@code /fhir/*}, which would read ".well-known" as a type. */
    @Bean
    ServletRegistrationBean<SmartConfigurationServlet> smartConfiguration(SecurityProperties security) {
        ServletRegistrationBean<SmartConfigurationServlet> registration = new ServletRegistrationBean<>(
                new SmartConfigurationServlet(security.issuer()), SmartConfigurationServlet.PATH);
        registration.setName("smart-configuration");
        return registration;
    }
}
