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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.medhub.cdshooks.discovery.CdsService;
import org.medhub.ml.cohort.CohortFeatures.PatientRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets a patient's record for a service: each prefetch template from the request's prefetch when the
 * client sent it (a JSON {@code null} means it found nothing), otherwise read from the client's
 * {@code fhirServer} with its {@code fhirAuthorization}, all missing keys at once. When a key is
 * neither prefetched nor readable the data is unavailable: {@link PrefetchUnavailableException}
 * (412).
 */
public final class PatientData {

    private static final Logger log = LoggerFactory.getLogger(PatientData.class);

    private final HttpClient http;
    private final Duration timeout;
    private final long maxResponseBytes;
    private final IParser parser = FhirContext.forR4Cached().newJsonParser();

    /**
     * @param timeout how long all reads of one call may take together, the bodies included
     * @param maxResponseBytes the most one FHIR response may hold
     */
    public PatientData(HttpClient http, Duration timeout, long maxResponseBytes) {
        this.http = http;
        this.timeout = timeout;
        this.maxResponseBytes = maxResponseBytes;
    }

    /**
     * Where and how to read what was not prefetched: an allowed FHIR base ({@link FhirServers}) and
     * the token the client gave for it; both null when the client gave no FHIR access.
     */
    public record FhirAccess(FhirBase fhirServer, String accessToken) {}

    public PatientRecord read(CdsService service, String patientId, Map<String, JsonNode> prefetch, FhirAccess access) {
        Map<String, IBaseResource> found = new LinkedHashMap<>();
        Map<String, CompletableFuture<IBaseResource>> reads = new LinkedHashMap<>();
        for (Map.Entry<String, String> template : service.prefetch().entrySet()) {
            String key = template.getKey();
            if (prefetch != null && prefetch.containsKey(key)) {
                JsonNode value = prefetch.get(key);
                found.put(key, value == null || value.isNull() ? null : parse(key, value));
            } else {
                reads.put(key, fetch(key, template.getValue().replace("{{context.patientId}}", patientId), access));
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (Map.Entry<String, CompletableFuture<IBaseResource>> read : reads.entrySet()) {
                found.put(read.getKey(), read.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
        } catch (TimeoutException e) {
            log.warn("Reading {} from fhirServer took longer than medhub.cds.fhir-timeout ({})", reads.keySet(), timeout);
            throw new PrefetchUnavailableException("the data could not be read from fhirServer in time");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PrefetchUnavailableException unavailable) {
                throw unavailable;
            }
            // The remote status or connection error stays in the log: echoed to the caller it would
            // make the service a port scanner of its own network.
            log.warn("Reading fhirServer failed: {}", e.getCause().toString());
            throw new PrefetchUnavailableException("the data could not be read from fhirServer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrefetchUnavailableException("interrupted while reading fhirServer");
        } finally {
            reads.values().forEach(read -> read.cancel(true));
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

    /** A prefetched resource; anything that is not FHIR R4 JSON is the client's error (400). */
    public IBaseResource parse(String key, JsonNode json) {
        return Prefetch.parse(parser, key, json);
    }

    private CompletableFuture<IBaseResource> fetch(String key, String query, FhirAccess access) {
        if (access == null || access.fhirServer() == null || access.accessToken() == null) {
            return CompletableFuture.failedFuture(new PrefetchUnavailableException("prefetch '" + key
                    + "' was not sent and the request gives no fhirServer with fhirAuthorization to read it"));
        }
        URI uri;
        try {
            uri = access.fhirServer().resolve(query.replace("|", "%7C"));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new PrefetchUnavailableException("fhirServer is not a URL"));
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", "application/fhir+json")
                .header("Authorization", "Bearer " + access.accessToken())
                .GET().build();
        // The client follows no redirects (HttpClient's default): a 3xx off the allowed base is a failure.
        return http.sendAsync(request, info -> LimitedBody.of(info, maxResponseBytes)).thenApply(response -> {
            if (response.statusCode() == 404 && CdsService.PATIENT.equals(key)) {
                return null;
            }
            if (response.statusCode() != 200) {
                log.warn("Reading '{}' from fhirServer {} gave HTTP {}", key, uri, response.statusCode());
                throw new PrefetchUnavailableException("prefetch '" + key + "' could not be read from fhirServer");
            }
            try {
                return parser.parseResource(response.body());
            } catch (DataFormatException | ClassCastException | IllegalArgumentException e) {
                log.warn("'{}' from fhirServer {} is not FHIR R4 JSON: {}", key, uri, e.getMessage());
                throw new PrefetchUnavailableException("prefetch '" + key + "' from fhirServer is not FHIR R4 JSON");
            }
        });
    }
}
