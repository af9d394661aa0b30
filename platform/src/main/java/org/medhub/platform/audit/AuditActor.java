package org.medhub.platform.audit;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who is behind the current request, as an audit record names them: the user, the OAuth client
 * they came through, the realm roles they held, and the token's issuer.
 *
 * <p>For a validated bearer token (Keycloak): user = {@code preferred_username} (else {@code sub}),
 * subject = {@code sub}, client = {@code azp}, roles = {@code realm_access.roles}, issuer =
 * {@code iss}. Without an authentication the actor is {@linkplain #ANONYMOUS anonymous}.
 *
 * @param user the user's name, or {@link #ANONYMOUS}
 * @param subject the user's stable id at the issuer ({@code sub}), or null
 * @param client the OAuth client id ({@code azp}), or null when unknown
 * @param issuer the token issuer, or null
 * @param roles realm roles at the time of the request, sorted
 */
public record AuditActor(String user, String subject, String client, String issuer, Set<String> roles) {

    public static final String ANONYMOUS = "anonymous";
    /** {@code Identifier.system} of user names in audit records. */
    public static final String USER_SYSTEM = "urn:medhub:user";
    /** {@code Identifier.system} of OAuth client ids in audit records. */
    public static final String CLIENT_SYSTEM = "urn:medhub:client";

    private static final AuditActor NOBODY = new AuditActor(ANONYMOUS, null, null, null, Set.of());

    public AuditActor {
        roles = Set.copyOf(new TreeSet<>(roles));
    }

    /** The actor of the request being handled on this thread (Spring Security's context). */
    public static AuditActor current() {
        return of(SecurityContextHolder.getContext().getAuthentication());
    }

    public static AuditActor of(Authentication authentication) {
        if (authentication == null
                || authentication instanceof AnonymousAuthenticationToken
                || !authentication.isAuthenticated()) {
            return NOBODY;
        }
        if (authentication instanceof JwtAuthenticationToken token) {
            return fromJwt(token.getToken());
        }
        Set<String> roles = new TreeSet<>();
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            String name = authority.getAuthority();
            if (name != null && name.startsWith("ROLE_")) {
                roles.add(name.substring("ROLE_".length()));
            }
        }
        return new AuditActor(authentication.getName(), null, null, null, roles);
    }

    /** Nobody authenticated: no token, or one that was not accepted. */
    public static AuditActor anonymous() {
        return NOBODY;
    }

    public boolean isAnonymous() {
        return NOBODY.equals(this);
    }

    /** {@code AuditEvent.agent.who} of the user: a logical reference by user name. */
    public Reference userReference() {
        if (isAnonymous()) {
            return new Reference().setDisplay(ANONYMOUS);
        }
        return new Reference().setIdentifier(identifier(USER_SYSTEM, user)).setDisplay(user);
    }

    /** {@code AuditEvent.agent.who} of the client application: a logical reference by client id. */
    public Reference clientReference() {
        if (client == null) {
            return new Reference().setDisplay("unknown client");
        }
        return new Reference().setIdentifier(identifier(CLIENT_SYSTEM, client)).setDisplay(client);
    }

    private Identifier identifier(String system, String value) {
        Identifier identifier = new Identifier().setSystem(system).setValue(value);
        if (issuer != null) {
            identifier.getAssigner().setDisplay(issuer);
        }
        return identifier;
    }

    private static AuditActor fromJwt(Jwt jwt) {
        String subject = jwt.getSubject();
        String user = jwt.getClaimAsString("preferred_username");
        if (user == null || user.isBlank()) {
            user = subject != null ? subject : ANONYMOUS;
        }
        return new AuditActor(user, subject, jwt.getClaimAsString("azp"), jwt.getClaimAsString("iss"), realmRoles(jwt));
    }

    private static Set<String> realmRoles(Jwt jwt) {
        Set<String> roles = new TreeSet<>();
        if (jwt.getClaims().get("realm_access") instanceof Map<?, ?> realmAccess
                && realmAccess.get("roles") instanceof Collection<?> names) {
            for (Object name : names) {
                if (name != null) {
                    roles.add(name.toString());
                }
            }
        }
        return roles;
    }
}
