package org.medhub.platform.security;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Content-Security-Policy (CSP Level 3) of the pages under one path, contributed by the module
 * serving them when they need more than the platform's default (the OHIF viewer does). Every policy
 * should keep {@code frame-ancestors 'self'}: MedHub's pages must not be framed by other sites.
 *
 * @param pathPattern a Spring path pattern such as {@code /viewer/**}
 * @param policy the header's value
 */
public record ContentSecurityPolicy(String pathPattern, String policy) {

    private static final Pattern INLINE_SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);

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

    /**
     * {@code 'sha256-…'} of each inline {@code <script>} of a page a module serves as it was published
     * (OHIF's index.html, Swagger UI's OAuth2 redirect page), so that a policy allows exactly those
     * scripts by hash (CSP Level 3 "hash-source") rather than by {@code 'unsafe-inline'}: a script
     * injected into the page still does not run.
     */
    public static List<String> inlineScriptHashes(String html) {
        List<String> hashes = new ArrayList<>();
        Matcher script = INLINE_SCRIPT.matcher(html);
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            while (script.find()) {
                byte[] digest = sha256.digest(script.group(1).getBytes(StandardCharsets.UTF_8));
                hashes.add("'sha256-" + Base64.getEncoder().encodeToString(digest) + "'");
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
        return hashes;
    }
}
