package org.medhub.fhir.security;

import ca.uhn.fhir.rest.server.RestfulServer;
import org.medhub.fhir.FhirProperties;
import org.medhub.fhir.rest.FhirRestConfiguration;
import org.medhub.platform.security.DeniedRequestListener;
import org.medhub.platform.security.PublicEndpoints;
import org.medhub.platform.security.SecurityProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Security of {@code /fhir}: which paths are public (the CapabilityStatement and SMART discovery,
 * as the standards require), the request gate in front of HAPI, HAPI's authorization interceptor
 * on every request, and the SMART
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

    /** In front of HAPI, behind Spring Security's filter chain (which has authenticated the caller by then). */
    @Bean
    FilterRegistrationBean<FhirRequestGate> fhirRequestGate(
            FhirProperties properties, ObjectProvider<DeniedRequestListener> deniedListeners) {
        FilterRegistrationBean<FhirRequestGate> registration = new FilterRegistrationBean<>(
                new FhirRequestGate(properties.maxRequestBytes().toBytes(), deniedListeners));
        registration.addUrlPatterns(FhirRestConfiguration.BASE_PATH + "/*");
        registration.setOrder(org.springframework.boot.autoconfigure.security.SecurityProperties.DEFAULT_FILTER_ORDER + 1);
        registration.setName("fhir-request-gate");
        return registration;
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
