package org.medhub.platform.security;

import java.net.URI;

/**
 * The Content-Security-Policy (CSP Level 3) of the pages under one path, contributed by the module
 * serving them when they need more than the platform's default (the OHIF viewer does). Every policy
 * should keep {@code frame-ancestors 'self'}: MedHub's pages must not be framed by other sites.
 *
 * @param pathPattern a Spring path pattern such as {@code /viewer/**}
 * @param policy the header's value
 */
public record ContentSecurityPolicy(String pathPattern, String policy) {

    public ContentSecurityPolicy {
        if (!policy.contains("frame-ancestors")) {
            throw new IllegalArgumentException("the Content-Security-Policy of " + pathPattern
                    + " must state frame-ancestors: " + policy);
        }
    }

    /**
     * The directives of MedHub's own pages and APIs: everything from this origin only, no inline
     * scripts, no plugins; the sign-in calls (token endpoint, silent renew frame) also reach the
     * OpenID Connect issuer's origin.
     */
    public static String defaultPolicy(String issuer) {
        String identityProvider = originOf(issuer);
        return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
                + "font-src 'self' data:; connect-src 'self' " + identityProvider + "; frame-src 'self' "
                + identityProvider + "; frame-ancestors 'self'; object-src 'none'; base-uri 'self'; form-action 'self' "
                + identityProvider;
    }

    /** The origin of a URL as a CSP source expression: {@code http://localhost:8081/realms/x} → {@code http://localhost:8081}. */
    public static String originOf(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }
}
