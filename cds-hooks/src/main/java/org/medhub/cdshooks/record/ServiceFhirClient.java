package org.medhub.cdshooks.record;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * MedHub's FHIR server as the CDS module's service account sees it: what the module writes
 * (RiskAssessments, Devices, Provenance) and what it reads back to migrate. Never with an EHR's
 * token, never following a redirect (the token would go with it).
 */
final class ServiceFhirClient {

    /** HTTP 412: the resource changed since it was read (a versioned update lost to another writer). */
    static final int PRECONDITION_FAILED = 412;

    private final HttpClient http;
    private final Duration timeout;
    private final Supplier<URI> fhirBase;
    private final Supplier<String> bearerToken;
    private final IParser parser = FhirContext.forR4Cached().newJsonParser();

    ServiceFhirClient(HttpClient http, Duration timeout, Supplier<URI> fhirBase, Supplier<String> bearerToken) {
        this.http = http;
        this.timeout = timeout;
        this.fhirBase = fhirBase;
        this.bearerToken = bearerToken;
    }

    Bundle transaction(Bundle transaction) {
        HttpResponse<String> response = send(request(fhirBase.get())
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(parser.encodeResourceToString(transaction))));
        return parse(Bundle.class, expect(200, response, "the transaction"));
    }

    /**
     * A search, always answered afresh: HAPI answers a repeated search from its one-minute cache,
     * which would show a migration the state before its own writes.
     */
    Bundle search(String query) {
        return page(URI.create(fhirBase.get() + "/" + query));
    }

    /** The next page of a search, or empty. Only the link's query is used: the token goes to the FHIR base alone. */
    Optional<Bundle> next(Bundle page) {
        Bundle.BundleLinkComponent next = page.getLink(Bundle.LINK_NEXT);
        if (next == null || next.getUrl() == null) {
            return Optional.empty();
        }
        return Optional.of(page(URI.create(fhirBase.get() + "?" + URI.create(next.getUrl()).getRawQuery())));
    }

    <T extends IBaseResource> T read(Class<T> type, String reference) {
        HttpResponse<String> response = send(request(URI.create(fhirBase.get() + "/" + reference))
                .header("Cache-Control", "no-cache").GET());
        return parse(type, expect(200, response, "reading " + reference));
    }

    /**
     * Updates {@code resource} only if it is still at {@code version} ({@code If-Match}, FHIR R4
     * 3.1.0.5 "Managing Resource Contention"); returns the HTTP status: 200, or 412 when another
     * writer came first.
     */
    int updateIfUnchanged(Resource resource, String version) {
        String reference = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
        HttpResponse<String> response = send(request(URI.create(fhirBase.get() + "/" + reference))
                .header("Content-Type", "application/fhir+json")
                .header("If-Match", "W/\"" + version + "\"")
                .PUT(HttpRequest.BodyPublishers.ofString(parser.encodeResourceToString(resource))));
        if (response.statusCode() == PRECONDITION_FAILED || response.statusCode() == 409) {
            return PRECONDITION_FAILED;
        }
        expect(200, response, "updating " + reference);
        return 200;
    }

    private Bundle page(URI uri) {
        HttpResponse<String> response = send(request(uri).header("Cache-Control", "no-cache").GET());
        return parse(Bundle.class, expect(200, response, "the search " + uri.getRawPath()));
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", "application/fhir+json")
                .header("Authorization", "Bearer " + bearerToken.get());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("calling FHIR failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling FHIR", e);
        }
    }

    private static String expect(int status, HttpResponse<String> response, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException("FHIR refused " + what + ": HTTP " + response.statusCode() + " "
                    + response.body().substring(0, Math.min(500, response.body().length())));
        }
        return response.body();
    }

    private <T extends IBaseResource> T parse(Class<T> type, String body) {
        return parser.parseResource(type, body);
    }
}
