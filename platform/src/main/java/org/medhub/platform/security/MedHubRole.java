package org.medhub.platform.security;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/** The realm roles of the security model in ARCHITECTURE.md; each module maps them to its permissions. */
public enum MedHubRole {
    /** Everything, including deletes, audit records and model management. */
    ADMIN,
    /** Reads and writes identified clinical data. */
    CLINICIAN,
    /** De-identified data only. */
    RESEARCHER,
    /** Reads identified data. */
    VIEWER;

    /** The Spring Security authority carrying this role. */
    public String authority() {
        return "ROLE_" + name();
    }

    static MedHubRole fromClaim(String value) {
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The MedHub roles an authenticated caller holds; none for anonymous callers. */
    public static Set<MedHubRole> of(Authentication authentication) {
        Set<MedHubRole> roles = EnumSet.noneOf(MedHubRole.class);
        if (authentication == null || !authentication.isAuthenticated()) {
            return roles;
        }
        Collection<? extends GrantedAuthority> authorities = authentication.getAuthorities();
        for (MedHubRole role : values()) {
            if (authorities.stream().anyMatch(a -> role.authority().equals(a.getAuthority()))) {
                roles.add(role);
            }
        }
        return roles;
    }
}
