package org.medhub.platform.security;

import java.util.List;

/**
 * Paths a module serves without a token, because the standard it implements makes them public
 * (e.g. a FHIR CapabilityStatement). Each module contributes a bean; everything else needs a token.
 *
 * @param paths Spring path patterns such as {@code /fhir/metadata}
 */
public record PublicEndpoints(List<String> paths) {

    public static PublicEndpoints of(String... paths) {
        return new PublicEndpoints(List.of(paths));
    }
}
