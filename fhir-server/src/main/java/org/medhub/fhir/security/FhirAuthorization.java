package org.medhub.fhir.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import java.util.List;
import java.util.Optional;
import org.medhub.platform.security.MedHubRole;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * HAPI's authorization interceptor fed with the caller Spring Security authenticated: it checks
 * every interaction, operation, transaction entry and bulk export against {@link FhirAccessPolicy}
 * and answers 403 with an OperationOutcome otherwise.
 */
final class FhirAuthorization extends AuthorizationInterceptor {

    @Override
    public List<IAuthRule> buildRuleList(RequestDetails request) {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        return FhirAccessPolicy.rules(MedHubRole.of(caller), scopes(caller), launchPatient(caller));
    }

    static List<String> scopes(Authentication caller) {
        if (caller instanceof JwtAuthenticationToken token && token.getToken().getClaimAsString("scope") != null) {
            return List.of(token.getToken().getClaimAsString("scope").trim().split("\\s+"));
        }
        return List.of();
    }

    /** SMART's launch context: the patient an app was launched for, when the token carries one. */
    static Optional<String> launchPatient(Authentication caller) {
        if (caller instanceof JwtAuthenticationToken token) {
            return Optional.ofNullable(token.getToken().getClaimAsString("patient")).filter(p -> !p.isBlank());
        }
        return Optional.empty();
    }
}
