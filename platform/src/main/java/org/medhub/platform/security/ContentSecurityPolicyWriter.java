package org.medhub.platform.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.util.AntPathMatcher;
import org.springframework.security.web.header.HeaderWriter;

/**
 * Writes the Content-Security-Policy of each response: the first module policy whose path matches
 * the request, else the platform's {@linkplain ContentSecurityPolicy#defaultPolicy default}. The
 * other security headers (X-Content-Type-Options, X-Frame-Options, Referrer-Policy) are Spring
 * Security's own writers, configured in {@link ResourceServerAutoConfiguration}.
 */
final class ContentSecurityPolicyWriter implements HeaderWriter {

    static final String HEADER = "Content-Security-Policy";

    private final AntPathMatcher paths = new AntPathMatcher();
    private final List<ContentSecurityPolicy> modulePolicies;
    private final String defaultPolicy;

    ContentSecurityPolicyWriter(List<ContentSecurityPolicy> modulePolicies, String defaultPolicy) {
        this.modulePolicies = List.copyOf(modulePolicies);
        this.defaultPolicy = defaultPolicy;
    }

    @Override
    public void writeHeaders(HttpServletRequest request, HttpServletResponse response) {
        if (response.containsHeader(HEADER)) {
            return;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String policy = modulePolicies.stream()
                .filter(candidate -> paths.match(candidate.pathPattern(), path))
                .map(ContentSecurityPolicy::policy)
                .findFirst()
                .orElse(defaultPolicy);
        response.setHeader(HEADER, policy);
    }
}
