package org.medhub.cdshooks.prefetch;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.medhub.cdshooks.discovery.CdsService;
import org.medhub.ml.cohort.CohortFeatures.PatientRecord;

/**
 * Gets a patient's record for a service: each prefetch template from the request's prefetch when the
 * client sent it (a JSON {@code null} means it found nothing), otherwise read from the client's
 * {@code fhirServer} with its {@code fhirAuthorization}, all missing keys at once. When a key is
 * neither prefetched nor readable the data is unavailable: {@link PrefetchUnavailableException}
 * (412).
 */
public final class PatientData {

    private final HttpClient http;
    private final Duration timeout;
    private final IParser parser = FhirContext.forR4Cached().newJsonParser();

    public PatientData(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    /** Where and how to read what was not prefetched; both null when the client gave no FHIR access. */
    public record FhirAccess(String fhirServer, String accessToken) {}

    public PatientRecord read(CdsService service, String patientId, Map<String, JsonNode> prefetch, FhirAccess access) {
        Map<String, IBaseResource> found = new LinkedHashMap<>();
        Map<String, CompletableFuture<IBaseResource>> reads = new LinkedHashMap<>();
        for (Map.Entry<String, String> template : service.prefetch().entrySet()) {
            String key = template.getKey();
            if (prefetch != null && prefetch.containsKey(key)) {
                JsonNode value = prefetch.get(key);
                found.put(key, value == null || value.isNull() ? null : parse(key, value.toString()));
            } else {
                reads.put(key, fetch(key, template.getValue().replace("{{context.patientId}}", patientId), access));
            }
        }
        try {
            reads.forEach((key, read) -> found.put(key, read.join()));
        } catch (CompletionException e) {
            throw e.getCause() instanceof PrefetchUnavailableException unavailable ? unavailable
                    : new PrefetchUnavailableException("reading the FHIR server failed: " + e.getCause().getMessage());
        }
        if (!(found.get(CdsService.PATIENT) instanceof Patient patient)) {
            throw new PrefetchUnavailableException("the Patient " + patientId + " was not found");
        }
        List<Observation> observations = new ArrayList<>();
        List<Condition> conditions = new ArrayList<>();
        for (IBaseResource resource : found.values()) {
            for (Resource entry : entries(resource)) {
                if (entry instanceof Observation o) {
                    observations.add(o);
                } else if (entry instanceof Condition c) {
                    conditions.add(c);
                }
            }
        }
        return new PatientRecord(patient, observations, conditions);
    }

    private static List<Resource> entries(IBaseResource resource) {
        if (resource instanceof Bundle bundle) {
            return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                    .filter(java.util.Objects::nonNull).toList();
        }
        return resource instanceof Resource r ? List.of(r) : List.of();
    }

    private IBaseResource parse(String key, String json) {
        try {
            return parser.parseResource(json);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("prefetch '" + key + "' is not a FHIR R4 resource: " + e.getMessage());
        }
    }

    private CompletableFuture<IBaseResource> fetch(String key, String query, FhirAccess access) {
        if (access == null || access.fhirServer() == null || access.accessToken() == null) {
            return CompletableFuture.failedFuture(new PrefetchUnavailableException("prefetch '" + key
                    + "' was not sent and the request gives no fhirServer with fhirAuthorization to read it"));
        }
        URI uri;
        try {
            uri = URI.create(access.fhirServer().replaceAll("/+$", "") + "/" + query.replace("|", "%7C"));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new PrefetchUnavailableException("fhirServer is not a URL"));
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", "application/fhir+json")
                .header("Authorization", "Bearer " + access.accessToken())
                .GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() == 404 && CdsService.PATIENT.equals(key)) {
                return null;
            }
            if (response.statusCode() != 200) {
                throw new PrefetchUnavailableException("reading '" + key + "' from the FHIR server gave HTTP "
                        + response.statusCode());
            }
            return parse(key, response.body());
        });
    }
}
