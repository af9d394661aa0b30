package org.medhub.dicomweb.cors;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which browser origins may call {@code /dicomweb} ({@code medhub.dicomweb.cors.*}): a viewer such as
 * OHIF served from another origin than the server.
 *
 * @param allowedOrigins origins, patterns allowed (e.g. {@code https://*.example.org}); empty turns CORS off
 * @param allowCredentials whether browsers may send cookies; never with the {@code *} origin
 * @param maxAge how long a browser may cache a preflight answer
 */
@Validated
@ConfigurationProperties("medhub.dicomweb.cors")
public record DicomwebCorsProperties(
        @DefaultValue List<String> allowedOrigins,
        @DefaultValue("false") boolean allowCredentials,
        @DefaultValue("1h") Duration maxAge) {

    public DicomwebCorsProperties {
        // PITFALLS.md: Allow-Origin * with credentials is wrong (and browsers refuse it); fail at start-up.
        if (allowCredentials && allowedOrigins.contains("*")) {
            throw new IllegalArgumentException(
                    "medhub.dicomweb.cors: allow-credentials cannot be combined with the '*' origin; list the origins");
        }
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("medhub.dicomweb.cors.max-age must not be negative");
        }
    }

    public boolean enabled() {
        return !allowedOrigins.isEmpty();
    }
}
