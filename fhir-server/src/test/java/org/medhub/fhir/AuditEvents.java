package org.medhub.fhir;

import static org.medhub.fhir.FhirHttp.parse;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.Bundle;

/** Reading the stored audit log in tests: what a FHIR client with access to AuditEvent sees. */
final class AuditEvents {

    static final String REFERENCE_SYSTEM = "urn:medhub:reference";
    private AuditEvents() {}

    /** Every stored AuditEvent, all pages. */
    static List<AuditEvent> all(FhirHttp http) {
        List<AuditEvent> events = new ArrayList<>();
        // no-cache: HAPI otherwise answers a repeated search from its cache for a minute.
        HttpResponse<String> response = http.get("AuditEvent?_count=500", "Cache-Control", "no-cache");
        while (true) {
            if (response.statusCode() != 200) {
                throw new AssertionError("AuditEvent search failed: " + response.statusCode() + " " + response.body());
            }
            Bundle page = parse(response, Bundle.class);
            page.getEntry().forEach(entry -> events.add((AuditEvent) entry.getResource()));
            if (page.getLink("next") == null) {
                return events;
            }
            response = http.get(page.getLink("next").getUrl(), "Cache-Control", "no-cache");
        }
    }

    /** Polls the audit log until it holds an event matching each expectation, or fails after the timeout. */
    @SafeVarargs
    static List<AuditEvent> awaitEach(FhirHttp http, Duration timeout, Predicate<AuditEvent>... expectations) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<AuditEvent> events = all(http);
            List<AuditEvent> found = new ArrayList<>();
            for (Predicate<AuditEvent> expectation : expectations) {
                events.stream().filter(expectation).findFirst().ifPresent(found::add);
            }
            if (found.size() == expectations.length) {
                return found;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("After " + timeout + " only " + found.size() + " of " + expectations.length
                        + " expected AuditEvents are stored; the log holds " + events.size() + " events");
            }
            sleep(500);
        }
    }

    static Predicate<AuditEvent> subtype(String code) {
        return event -> event.getSubtype().stream().anyMatch(c -> code.equals(c.getCode()));
    }

    /** An entity whose literal or (logical) reference names the resource, e.g. {@code Patient/12}. */
    static Predicate<AuditEvent> about(String reference) {
        return event -> entity(event, reference) != null;
    }

    static AuditEventEntityComponent entity(AuditEvent event, String reference) {
        return event.getEntity().stream()
                .filter(e -> names(e, reference))
                .findFirst()
                .orElse(null);
    }

    private static boolean names(AuditEventEntityComponent entity, String reference) {
        return reference.equals(entity.getWhat().getReferenceElement().toUnqualifiedVersionless().getValue())
                || reference.equals(entity.getWhat().getIdentifier().getValue());
    }

    /** BALP's patient entity (type 1 person, role 1 patient) naming the patient. */
    static AuditEventEntityComponent patientEntity(AuditEvent event, String patient) {
        return event.getEntity().stream()
                .filter(e -> "1".equals(e.getRole().getCode()))
                .filter(e -> names(e, patient))
                .findFirst()
                .orElse(null);
    }

    static String query(AuditEvent event) {
        return event.getEntity().stream()
                .filter(AuditEventEntityComponent::hasQuery)
                .map(e -> new String(e.getQuery(), StandardCharsets.UTF_8))
                .findFirst()
                .orElse("");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
