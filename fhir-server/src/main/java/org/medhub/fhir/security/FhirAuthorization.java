package org.medhub.fhir.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import java.util.List;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * HAPI's authorization interceptor fed with the caller Spring Security authenticated: it checks
 * every interaction, operation, transaction entry and bulk export against {@link FhirAccessPolicy}
 * and answers 403 with an OperationOutcome otherwise.
 */
final class FhirAuthorization extends AuthorizationInterceptor {

    @Override
    public List<IAuthRule> buildRuleList(RequestDetails request) {
        return FhirAccessPolicy.of(SecurityContextHolder.getContext().getAuthentication()).rules();
    }
}
