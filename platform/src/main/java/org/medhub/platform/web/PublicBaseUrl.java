package org.medhub.platform.web;

import jakarta.servlet.ServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * The configured public base URL ({@code medhub.public-base-url}): the one source of every URL this
 * server hands out. Never the request's {@code Host} or forwarded headers, which any client can set
 * (a forged {@code X-Forwarded-Host} would otherwise steer RetrieveURLs, card links and the CDS
 * audience check to a host of the attacker's choosing).
 */
public final class PublicBaseUrl {

    /** The request attribute under which {@link ForwardedHeadersFilter} leaves this bean for code without injection. */
    public static final String ATTRIBUTE = PublicBaseUrl.class.getName();
    static final String SETTING = "medhub.public-base-url";

    private final URI configured;
    private final IntSupplier localPort;

    /**
     * @param localPort the port the server listens on, asked only when the configured port is 0
     * @throws IllegalStateException naming the setting when the URL is not an absolute http(s) URL
     *     without user info, query or fragment
     */
    public PublicBaseUrl(String url, IntSupplier localPort) {
        this.configured = parse(url);
        this.localPort = localPort;
    }

    /** The bean the platform's filter attached to this request. */
    public static PublicBaseUrl of(ServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof PublicBaseUrl base) {
            return base;
        }
        throw new IllegalStateException("the request did not pass the platform's ForwardedHeadersFilter");
    }

    /** The base without a trailing slash, e.g. {@code https://medhub.example.org}. */
    public String base() {
        if (configured.getPort() != 0) {
            return configured.toString();
        }
        try {
            return new URI(configured.getScheme(), null, configured.getHost(), localPort.getAsInt(),
                    configured.getPath(), null, null).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public URL of {@code path} (absolute, starting with {@code /}; empty for the base itself). */
    public String resolve(String path) {
        if (!path.isEmpty() && !path.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute path: " + path);
        }
        return base() + path;
    }

    private static URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalStateException(SETTING + " is required: the absolute URL clients reach this server at, "
                    + "e.g. https://medhub.example.org");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(SETTING + " is not a URL: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalStateException(SETTING + " must be an absolute http or https URL with a host, got: " + url);
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalStateException(SETTING + " must not have user info, a query or a fragment, got: " + url);
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
        try {
            return new URI(scheme, null, uri.getHost().toLowerCase(Locale.ROOT), uri.getPort(), path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(SETTING + " is not a URL: " + url);
        }
    }
}
