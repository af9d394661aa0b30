package org.medhub.platform.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Turns a validated token into MedHub authorities: Keycloak realm roles ({@code realm_access.roles})
 * become {@code ROLE_ADMIN} etc.; every value of the {@code scope} claim becomes {@code SCOPE_<value>}
 * (SMART scopes such as {@code SCOPE_patient/Observation.rs}). Unknown roles are ignored.
 */
final class TokenAuthorities implements Converter<Jwt, AbstractAuthenticationToken> {

    static final String SCOPE_PREFIX = "SCOPE_";

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        realmRoles(jwt).stream()
                .map(MedHubRole::fromClaim)
                .filter(Objects::nonNull)
                .distinct()
                .forEach(role -> authorities.add(new SimpleGrantedAuthority(role.authority())));
        String scope = jwt.getClaimAsString("scope");
        if (scope != null) {
            for (String value : scope.trim().split("\\s+")) {
                if (!value.isEmpty()) {
                    authorities.add(new SimpleGrantedAuthority(SCOPE_PREFIX + value));
                }
            }
        }
        String name = jwt.getClaimAsString("preferred_username");
        return new JwtAuthenticationToken(jwt, authorities, name != null ? name : jwt.getSubject());
    }

    private static Collection<String> realmRoles(Jwt jwt) {
        Object realmAccess = jwt.getClaims().get("realm_access");
        if (realmAccess instanceof Map<?, ?> map && map.get("roles") instanceof Collection<?> roles) {
            return roles.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return List.of();
    }
}
