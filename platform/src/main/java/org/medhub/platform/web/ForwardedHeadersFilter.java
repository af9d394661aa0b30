package org.medhub.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs before everything else. Attaches the {@link PublicBaseUrl} to the request, and decides what
 * the rest of the server sees as the client: the TCP peer, unless the peer is a trusted proxy
 * ({@link TrustedProxies}); then the right-most address of {@code X-Forwarded-For} that is not itself
 * a trusted proxy, and the scheme of {@code X-Forwarded-Proto}. The request URL is the public one
 * (WADO-RS Content-Location, HAPI's request URL). {@code X-Forwarded-Host},
 * {@code X-Forwarded-Port} and {@code Forwarded} are never believed (the public base URL is
 * configured), and every forwarded header is hidden from what runs after this filter, so that no
 * later code, MedHub's or a library's, can fall for one.
 */
final class ForwardedHeadersFilter extends OncePerRequestFilter {

    private final PublicBaseUrl publicBaseUrl;
    private final TrustedProxies proxies;

    ForwardedHeadersFilter(PublicBaseUrl publicBaseUrl, TrustedProxies proxies) {
        this.publicBaseUrl = publicBaseUrl;
        this.proxies = proxies;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        request.setAttribute(PublicBaseUrl.ATTRIBUTE, publicBaseUrl);
        String client = request.getRemoteAddr();
        String scheme = request.getScheme();
        if (proxies.trusts(client)) {
            client = forwardedClient(request, client);
            String proto = first(request.getHeader("X-Forwarded-Proto"));
            if ("http".equalsIgnoreCase(proto) || "https".equalsIgnoreCase(proto)) {
                scheme = proto.toLowerCase(Locale.ROOT);
            }
        }
        chain.doFilter(new Seen(request, client, scheme, publicBaseUrl), response);
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    /** Right to left through the hops: the first one no trusted proxy vouches for is the client. */
    private String forwardedClient(HttpServletRequest request, String peer) {
        List<String> hops = new java.util.ArrayList<>();
        for (Enumeration<String> values = request.getHeaders("X-Forwarded-For"); values.hasMoreElements(); ) {
            for (String hop : values.nextElement().split(",")) {
                hops.add(hop.strip());
            }
        }
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            if (TrustedProxies.address(hops.get(i)) == null) {
                return client; // Not an address: the chain is broken, believe no more of it.
            }
            client = hops.get(i);
            if (!proxies.trusts(client)) {
                return client;
            }
        }
        return client;
    }

    private static String first(String header) {
        return header == null ? null : header.split(",")[0].strip();
    }

    static boolean forwarded(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.startsWith("x-forwarded-") || lower.equals("forwarded") || lower.equals("x-real-ip");
    }

    /** The request as the rest of the server sees it. */
    private static final class Seen extends HttpServletRequestWrapper {

        private final String client;
        private final String scheme;
        private final PublicBaseUrl publicBaseUrl;

        Seen(HttpServletRequest request, String client, String scheme, PublicBaseUrl publicBaseUrl) {
            super(request);
            this.client = client;
            this.scheme = scheme;
            this.publicBaseUrl = publicBaseUrl;
        }

        /** The URL as published, not as the Host header has it: libraries build links from this. */
        @Override
        public StringBuffer getRequestURL() {
            return new StringBuffer(publicBaseUrl.resolve(getRequestURI().substring(getContextPath().length())));
        }

        @Override
        public String getRemoteAddr() {
            return client;
        }

        @Override
        public String getRemoteHost() {
            return client;
        }

        @Override
        public String getScheme() {
            return scheme;
        }

        @Override
        public boolean isSecure() {
            return "https".equals(scheme);
        }

        @Override
        public String getHeader(String name) {
            return forwarded(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return forwarded(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(name -> !forwarded(name)).toList());
        }
    }
}
