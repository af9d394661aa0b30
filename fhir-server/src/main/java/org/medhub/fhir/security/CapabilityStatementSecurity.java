package org.medhub.fhir.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestSecurityComponent;

/**
 * Tells clients in the CapabilityStatement that {@code /fhir} is protected by SMART on FHIR (OAuth2
 * bearer tokens), with the details in {@code .well-known/smart-configuration}.
 */
@Interceptor
final class CapabilityStatementSecurity {

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void describeSecurity(IBaseConformance generated) {
        if (generated instanceof CapabilityStatement capabilities) {
            for (var rest : capabilities.getRest()) {
                CapabilityStatementRestSecurityComponent security = rest.getSecurity();
                security.setCors(true);
                security.addService().addCoding()
                        .setSystem("http://terminology.hl7.org/CodeSystem/restful-security-service")
                        .setCode("SMART-on-FHIR");
                security.setDescription("OAuth2 bearer tokens from the configured OpenID Connect issuer; roles "
                        + "and SMART v2 scopes decide access. See .well-known/smart-configuration.");
            }
        }
    }
}
