package org.medhub.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medhub.fhir.AuditEvents.about;
import static org.medhub.fhir.AuditEvents.awaitEach;
import static org.medhub.fhir.AuditEvents.entity;
import static org.medhub.fhir.AuditEvents.patientEntity;
import static org.medhub.fhir.AuditEvents.query;
import static org.medhub.fhir.AuditEvents.subtype;
import static org.medhub.fhir.FhirHttp.json;
import static org.medhub.fhir.FhirHttp.parse;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medhub.fhir.standalone.FhirServerApplication;
import org.medhub.platform.testing.KeycloakExtension;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The audit trail through HTTP: every create, read, search and export of patient data, and every
 * refused request, ends up as an IHE BALP AuditEvent in {@code /fhir/AuditEvent}, saying who, from
 * where, what, when and with which outcome.
 */
@ExtendWith(KeycloakExtension.class)
@AutoConfigureObservability
@SpringBootTest(
        classes = FhirServerApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "medhub.database.data-directory=target/it-postgres/audit-${random.uuid}",
            "medhub.audit.drain-interval=200ms",
            "medhub.audit.anonymous-denials.window=" + AuditTrailIT.DENIAL_WINDOW_SECONDS + "s"
        })
class AuditTrailIT {

    static final int DENIAL_WINDOW_SECONDS = 10;
    private static final Duration PUBLISHED_WITHIN = Duration.ofSeconds(30);
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "0:0:0:0:0:0:0:1", "::1");

    @LocalServerPort
    int port;

    FhirHttp http;

    @BeforeEach
    void connect() {
        http = new FhirHttp(port, FhirHttp.tokensOf("admin"));
    }

    @Test
    void createReadSearchAndExportAreEachRecordedWithWhoFromWhereWhatAndOutcome() {
        String family = "Audit" + UUID.randomUUID().toString().substring(0, 8);
        Patient patient = new Patient();
        patient.addName().setFamily(family);
        HttpResponse<String> created = http.post("Patient", json(patient));
        assertThat(created.statusCode()).isEqualTo(201);
        String id = "Patient/" + parse(created, Patient.class).getIdElement().getIdPart();
        assertThat(http.get(id).statusCode()).isEqualTo(200);
        assertThat(http.get("Patient?family=" + family).statusCode()).isEqualTo(200);
        HttpResponse<String> export = http.get("Patient/$export?_type=Patient", "Prefer", "respond-async");
        assertThat(export.statusCode()).as(export.body()).isEqualTo(202);

        Predicate<AuditEvent> search =
                subtype("search-type").and(event -> query(event).contains("family=" + family));
        List<AuditEvent> events = awaitEach(http, PUBLISHED_WITHIN,
                subtype("create").and(about(id)),
                subtype("read").and(about(id)),
                search,
                subtype("$export").and(event -> query(event).contains("Patient/$export")));
        AuditEvent create = events.get(0);
        AuditEvent read = events.get(1);
        AuditEvent query = events.get(2);
        AuditEvent exportEvent = events.get(3);

        assertThat(create.getAction()).isEqualTo(AuditEventAction.C);
        assertThat(read.getAction()).isEqualTo(AuditEventAction.R);
        assertThat(query.getAction()).isEqualTo(AuditEventAction.E);
        assertThat(exportEvent.getAction()).isEqualTo(AuditEventAction.E);
        assertThat(exportEvent.getSubtype()).extracting(c -> c.getCode()).contains("operation", "$export");
        // BALP's patient profiles: the patient is named as entity (type 1 person, role 1 patient).
        assertThat(patientEntity(create, id)).isNotNull();
        assertThat(patientEntity(read, id)).isNotNull();
        assertThat(patientEntity(query, id)).as("the patient the search returned").isNotNull();
        assertThat(read.getMeta().getProfile()).extracting(p -> p.getValue())
                .contains("https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientRead");

        for (AuditEvent event : events) {
            assertThat(event.getType().getCode()).isEqualTo("rest");
            assertThat(event.getOutcome()).isEqualTo(AuditEventOutcome._0);
            assertThat(event.hasRecorded()).isTrue();
            assertThat(event.getAgent()).anySatisfy(agent -> assertThat(agent.getNetwork().getAddress()).isIn(LOOPBACK));
            AuditEventAgentComponent user = event.getAgent().stream()
                    .filter(AuditEventAgentComponent::getRequestor)
                    .findFirst()
                    .orElseThrow();
            assertThat(user.getWho().getDisplay()).isEqualTo("admin");
        }
    }

    @Test
    void theAuditEventsOfAResourceAreFoundByItsName() {
        String id = createPatient();
        http.get(id);
        awaitEach(http, PUBLISHED_WITHIN, subtype("read").and(about(id)));

        Bundle found = parse(http.get("AuditEvent?entity-name:exact=" + id, "Cache-Control", "no-cache"), Bundle.class);

        assertThat(found.getEntry()).extracting(e -> ((AuditEvent) e.getResource()).getSubtypeFirstRep().getCode())
                .contains("create", "read");
        assertThat(found.getEntry()).allSatisfy(entry ->
                assertThat(entity((AuditEvent) entry.getResource(), id)).isNotNull());
    }

    @Test
    void thePatientSearchFindsEveryEventAboutThatPatientAndNoneOfAnother() {
        String id = createPatient();
        String other = createPatient();
        http.get(id);
        http.get(other);
        awaitEach(http, PUBLISHED_WITHIN, subtype("read").and(about(id)), subtype("read").and(about(other)));

        Bundle found = parse(http.get("AuditEvent?patient=" + id, "Cache-Control", "no-cache"), Bundle.class);

        assertThat(found.getEntry()).extracting(e -> ((AuditEvent) e.getResource()).getSubtypeFirstRep().getCode())
                .contains("create", "read");
        assertThat(found.getEntry()).allSatisfy(entry -> {
            AuditEvent event = (AuditEvent) entry.getResource();
            assertThat(patientEntity(event, id)).isNotNull();
            assertThat(patientEntity(event, other)).isNull();
        });
    }

    @Test
    void anAuditedPatientCanStillBeDeletedAndItsAuditEventsStayOutOfItsCompartment() {
        String id = createPatient();
        assertThat(http.get(id).statusCode()).isEqualTo(200);
        awaitEach(http, PUBLISHED_WITHIN, subtype("read").and(about(id)));

        Bundle everything = parse(http.get(id + "/$everything"), Bundle.class);
        assertThat(everything.getEntry()).extracting(e -> e.getResource().fhirType()).doesNotContain("AuditEvent");

        assertThat(http.delete(id).statusCode()).isEqualTo(200);
        assertThat(http.get(id).statusCode()).isEqualTo(410);
        // Recorded after the patient was deleted, published all the same.
        awaitEach(http, PUBLISHED_WITHIN, subtype("delete").and(about(id)), subtype("$everything").and(about(id)));
    }

    @Test
    void aClinicalReferenceStillBlocksTheDeleteOfAnAuditedPatient() {
        String id = createPatient();
        assertThat(http.get(id).statusCode()).isEqualTo(200);
        awaitEach(http, PUBLISHED_WITHIN, subtype("read").and(about(id)));
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL).getCode().setText("weight");
        observation.setSubject(new Reference(id));
        assertThat(http.post("Observation", json(observation)).statusCode()).isEqualTo(201);

        HttpResponse<String> delete = http.delete(id);

        assertThat(delete.statusCode()).isEqualTo(409);
        assertThat(delete.body()).contains("Observation/").doesNotContain("AuditEvent/");
        assertThat(http.get(id).statusCode()).isEqualTo(200);
    }

    @Test
    void theAuditLogCannotBeChangedThroughTheApiAndTryingIsRecordedAsARefusal() {
        String id = createPatient();
        http.get(id);
        AuditEvent stored = awaitEach(http, PUBLISHED_WITHIN, subtype("read").and(about(id))).get(0);
        String storedId = "AuditEvent/" + stored.getIdElement().getIdPart();

        HttpResponse<String> forged = http.post("AuditEvent", json(stored.setId((String) null)));
        HttpResponse<String> deleted = http.delete(storedId);

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(deleted.statusCode()).isEqualTo(403);
        assertThat(http.get(storedId).statusCode()).isEqualTo(200);
        List<AuditEvent> refusals = awaitEach(http, PUBLISHED_WITHIN,
                subtype("create").and(event -> event.getOutcome() == AuditEventOutcome._4),
                subtype("delete").and(about(storedId)));
        assertThat(refusals).allSatisfy(refusal -> {
            assertThat(refusal.getOutcome()).isEqualTo(AuditEventOutcome._4);
            assertThat(refusal.getOutcomeDesc()).startsWith("403 Forbidden");
            assertThat(refusal.getAgent()).anySatisfy(agent -> assertThat(agent.getNetwork().getAddress()).isIn(LOOPBACK));
        });
    }

    @Test
    void requestsRefusedForAMissingTokenOrAMissingRoleAreRecordedWithWhoAskedForWhat() {
        String id = createPatient();
        String marker = "refused" + UUID.randomUUID().toString().substring(0, 8);
        FhirHttp anonymous = new FhirHttp(port);
        FhirHttp researcher = new FhirHttp(port, FhirHttp.tokensOf("researcher"));

        assertThat(anonymous.get("Patient?family=" + marker).statusCode()).isEqualTo(401);
        assertThat(researcher.get(id + "?_elements=" + marker).statusCode()).isEqualTo(403);

        List<AuditEvent> refusals = awaitEach(http, PUBLISHED_WITHIN,
                event -> query(event).contains("Patient?family=" + marker),
                event -> query(event).contains("_elements=" + marker));
        AuditEvent unauthenticated = refusals.get(0);
        AuditEvent forbidden = refusals.get(1);
        assertThat(unauthenticated.getOutcomeDesc()).startsWith("401");
        assertThat(requestor(unauthenticated).getWho().getDisplay()).isEqualTo("anonymous");
        assertThat(forbidden.getOutcomeDesc()).startsWith("403");
        assertThat(requestor(forbidden).getWho().getDisplay()).isEqualTo("researcher");
        assertThat(refusals).allSatisfy(refusal -> {
            assertThat(refusal.getOutcome()).isEqualTo(AuditEventOutcome._4);
            assertThat(refusal.getAgent()).anySatisfy(agent -> assertThat(agent.getNetwork().getAddress()).isIn(LOOPBACK));
        });
    }

    @Test
    void anAnonymousFloodLeavesABoundedNumberOfAuditRowsAndASummaryCarriesTheCount() throws Exception {
        // From a loopback address of its own, so that no other test's anonymous request shares its window.
        String flooder = "127.0.0.2";
        HttpClient client = HttpClient.newBuilder().localAddress(InetAddress.getByName(flooder)).build();
        URI search = URI.create("http://127.0.0.1:" + port + "/fhir/Patient?family=flood");
        long started = System.nanoTime();
        for (int i = 0; i < 500; i++) {
            assertThat(client.send(HttpRequest.newBuilder(search).build(), BodyHandlers.discarding()).statusCode())
                    .isEqualTo(401);
        }
        long windows = Duration.ofNanos(System.nanoTime() - started).toSeconds() / DENIAL_WINDOW_SECONDS + 2;

        Instant deadline = Instant.now().plus(PUBLISHED_WITHIN).plusSeconds(DENIAL_WINDOW_SECONDS);
        List<AuditEvent> rows;
        long represented;
        do {
            Thread.sleep(1000);
            rows = AuditEvents.all(http).stream()
                    .filter(event -> event.getAgent().stream().anyMatch(a -> flooder.equals(a.getNetwork().getAddress())))
                    .toList();
            represented = rows.stream().mapToLong(AuditTrailIT::deniedRequests).sum();
        } while (represented < 500 && Instant.now().isBefore(deadline));

        assertThat(represented).as("denials recorded in full plus those counted in summaries").isEqualTo(500);
        assertThat(rows.size()).as("rows for %d windows", windows).isLessThanOrEqualTo((int) (windows * (5 + 1)));
        assertThat(rows).filteredOn(event -> event.getType().getCode().equals("110113")).isNotEmpty()
                .allSatisfy(summary -> assertThat(summary.getOutcomeDesc())
                        .matches("\\d+ denied requests from 127\\.0\\.0\\.2 in window PT10S .*"));
    }

    /** 1 for a denial recorded in full, the count of a summary. */
    private static long deniedRequests(AuditEvent event) {
        return event.getEntity().stream().flatMap(entity -> entity.getDetail().stream())
                .filter(detail -> detail.getType().equals("denied-requests"))
                .mapToLong(detail -> Long.parseLong(detail.getValue().primitiveValue()))
                .findFirst().orElse(1);
    }

    @Test
    void onlyAdminsReadTheAuditLog() {
        for (String user : List.of("clinician", "viewer", "researcher")) {
            HttpResponse<String> search = new FhirHttp(port, FhirHttp.tokensOf(user)).get("AuditEvent");
            assertThat(search.statusCode()).as(user).isEqualTo(403);
        }
        assertThat(http.get("AuditEvent").statusCode()).isEqualTo(200);
    }

    private static AuditEventAgentComponent requestor(AuditEvent event) {
        return event.getAgent().stream().filter(AuditEventAgentComponent::getRequestor).findFirst().orElseThrow();
    }

    @Test
    void theOutboxBacklogIsAMetric() {
        HttpResponse<String> metrics = http.get("/actuator/prometheus", "Accept", "text/plain");

        assertThat(metrics.body()).contains("medhub_audit_outbox_pending", "medhub_audit_outbox_oldest_age_seconds");
    }

    private String createPatient() {
        Patient patient = new Patient();
        patient.addName().setFamily("Audit" + UUID.randomUUID().toString().substring(0, 8));
        HttpResponse<String> created = http.post("Patient", json(patient));
        assertThat(created.statusCode()).isEqualTo(201);
        return "Patient/" + parse(created, Patient.class).getIdElement().getIdPart();
    }
}
