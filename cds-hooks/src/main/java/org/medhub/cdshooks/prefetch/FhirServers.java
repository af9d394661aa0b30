package org.medhub.cdshooks.prefetch;

import java.util.List;
import java.util.Optional;
import org.medhub.platform.web.PublicBaseUrl;

/**
 * Which FHIR servers a CDS client may have the service read ({@code fhir-servers:} of the client in
 * its client file): absolute base URLs, or paths on this server's public base URL ({@code /fhir}).
 * A client that lists none may name only this server's own {@code /fhir}. Without this check the
 * service would fetch any URL a caller names, with the caller's token, from inside MedHub's network.
 */
public final class FhirServers {

    /** What a client that lists no FHIR servers may name. */
    public static final List<String> DEFAULT = List.of("/fhir");

    private final PublicBaseUrl publicBaseUrl;

    public FhirServers(PublicBaseUrl publicBaseUrl) {
        this.publicBaseUrl = publicBaseUrl;
    }

    /** The normalized base, when {@code fhirServer} is one of (or below one of) {@code allowed}. */
    public Optional<FhirBase> allowed(String fhirServer, List<String> allowed) {
        Optional<FhirBase> named = FhirBase.parse(fhirServer);
        if (named.isEmpty()) {
            return Optional.empty();
        }
        for (String entry : allowed.isEmpty() ? DEFAULT : allowed) {
            String absolute = entry.startsWith("/") ? publicBaseUrl.resolve(entry) : entry;
            if (FhirBase.parse(absolute).filter(named.get()::within).isPresent()) {
                return named;
            }
        }
        return Optional.empty();
    }

    /** Fails fast on an entry of a client file that can never match. */
    public static void validate(String where, List<String> entries) {
        for (String entry : entries) {
            if (!entry.startsWith("/") && FhirBase.parse(entry).isEmpty()) {
                throw new IllegalStateException(where + ": fhir-servers entry '" + entry
                        + "' is not an http(s) URL without user info, query or fragment, nor a path such as /fhir");
            }
        }
    }
}
