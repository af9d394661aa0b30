package org.medhub.cdshooks.prefetch;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * A FHIR base URL in the normalized form the allow-list compares: scheme and host in lower case, the
 * port explicit, the path without dot segments or a trailing slash. User info, a query, a fragment
 * and percent-escapes in the path (which could hide a {@code /} or {@code ..}) are not accepted.
 */
public record FhirBase(String scheme, String host, int port, String path) {

    static Optional<FhirBase> parse(String url) {
        if (url == null) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawAuthority().contains("@")) {
            return Optional.empty();
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.contains("%") || path.contains("\\")) {
            return Optional.empty();
        }
        path = URI.create(path.isEmpty() ? "/" : path).normalize().getPath();
        if (path.startsWith("/..") || path.contains("/../") || path.endsWith("/..")) {
            return Optional.empty();
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return Optional.of(new FhirBase(scheme, uri.getHost().toLowerCase(Locale.ROOT), port, path.replaceAll("/+$", "")));
    }

    /** Whether this base is {@code allowed} or below it (whole path segments). */
    boolean within(FhirBase allowed) {
        return scheme.equals(allowed.scheme) && host.equals(allowed.host) && port == allowed.port
                && (path.equals(allowed.path) || path.startsWith(allowed.path + "/"));
    }

    /** The URL of {@code query} (a FHIR path with search parameters) on this base. */
    URI resolve(String query) {
        return URI.create(scheme + "://" + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
                + ":" + port + path + "/" + query);
    }
}
