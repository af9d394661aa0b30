package org.medhub.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medhub.fhir.FhirHttp.json;
import static org.medhub.fhir.FhirHttp.parse;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medhub.platform.testing.KeycloakExtension;
import org.medhub.fhir.standalone.FhirServerApplication;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The FHIR REST API through HTTP, as a FHIR client sees it, on the real stack (HAPI JPA + PostgreSQL). */
@ExtendWith(KeycloakExtension.class)
// Spring Boot tests switch metrics export off unless asked; /actuator/prometheus is part of the API.
@AutoConfigureObservability
@SpringBootTest(
        classes = FhirServerApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "medhub.database.data-directory=target/it-postgres/api-${random.uuid}",
            "medhub.fhir.cors.allowed-origins=https://ehr.example.org"
        })
class FhirApiIT {

    private static final String SYSTEM = "urn:medhub:test";

    @LocalServerPort
    int port;

    FhirHttp http;

    @BeforeEach
    void connect() {
        http = new FhirHttp(port, FhirHttp.tokensOf("admin"));
    }

    @Test
    void capabilityStatementDescribesAnR4ServerWithTheResourceTypesMedHubUses() {
        HttpResponse<String> response = http.get("metadata");

        assertThat(response.statusCode()).isEqualTo(200);
        CapabilityStatement capabilities = parse(response, CapabilityStatement.class);
        assertThat(capabilities.getFhirVersion().toCode()).isEqualTo("4.0.1");
        List<String> types = capabilities.getRestFirstRep().getResource().stream()
                .map(CapabilityStatementRestResourceComponent::getType)
                .toList();
        assertThat(types).contains("Patient", "ImagingStudy", "Observation", "Condition", "RiskAssessment",
                "AuditEvent", "Device", "Endpoint", "Binary");
        assertThat(capabilities.getRestFirstRep().getInteraction())
                .extracting(i -> i.getCode().toCode())
                .contains("transaction", "batch", "history-system");
        assertThat(capabilities.getRestFirstRep().getOperation()).extracting(o -> o.getName()).contains("export");
        CapabilityStatementRestResourceComponent patient = capabilities.getRestFirstRep().getResource().stream()
                .filter(r -> r.getType().equals("Patient"))
                .findFirst()
                .orElseThrow();
        assertThat(patient.getOperation()).extracting(o -> o.getName()).contains("everything", "validate");
        assertThat(patient.getConditionalUpdate()).isTrue();
    }

    @Test
    void resourceLifecycleCreateReadVreadUpdatePatchHistoryDelete() {
        String family = unique("Lifecycle");
        HttpResponse<String> created = http.post("Patient", json(patient(family, "1")));
        assertThat(created.statusCode()).isEqualTo(201);
        String id = idOf(created);

        assertThat(parse(http.get("Patient/" + id), Patient.class).getNameFirstRep().getFamily()).isEqualTo(family);

        Patient changed = patient(family, "1").setGender(AdministrativeGender.FEMALE);
        changed.setId(id);
        assertThat(http.put("Patient/" + id, json(changed)).statusCode()).isEqualTo(200);

        String jsonPatch = "[{\"op\":\"replace\",\"path\":\"/active\",\"value\":false}]";
        HttpResponse<String> patched =
                http.method("PATCH", "Patient/" + id, BodyPublishers.ofString(jsonPatch),
                        "Content-Type", "application/json-patch+json");
        assertThat(patched.statusCode()).isEqualTo(200);
        assertThat(parse(patched, Patient.class).getActive()).isFalse();

        Patient first = parse(http.get("Patient/" + id + "/_history/1"), Patient.class);
        assertThat(first.hasGender()).isFalse();
        Bundle history = parse(http.get("Patient/" + id + "/_history"), Bundle.class);
        assertThat(history.getEntry()).hasSize(3);

        assertThat(http.delete("Patient/" + id).statusCode()).isEqualTo(200);
        assertThat(http.get("Patient/" + id).statusCode()).isEqualTo(410);
    }

    @Test
    void conditionalUpdateWithUnchangedContentCreatesNoNewVersionOrDuplicate() {
        String identifier = unique("mrn");
        String url = "Patient?identifier=" + SYSTEM + "|" + identifier;
        Patient patient = patient("Idempotent", identifier);

        HttpResponse<String> first = http.put(url, json(patient));
        HttpResponse<String> second = http.put(url, json(patient));

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(200);
        Patient stored = parse(second, Patient.class);
        assertThat(stored.getIdElement().getIdPart()).isEqualTo(parse(first, Patient.class).getIdElement().getIdPart());
        assertThat(stored.getMeta().getVersionId()).isEqualTo("1");
        assertThat(http.count(url)).isEqualTo(1);
    }

    @Test
    void conditionalCreateReturnsTheExistingResource() {
        String identifier = unique("mrn");
        String body = json(patient("Conditional", identifier));
        String ifNoneExist = "identifier=" + SYSTEM + "|" + identifier;

        assertThat(http.post("Patient", body, "If-None-Exist", ifNoneExist).statusCode()).isEqualTo(201);
        assertThat(http.post("Patient", body, "If-None-Exist", ifNoneExist).statusCode()).isEqualTo(200);
        assertThat(http.count("Patient?identifier=" + SYSTEM + "|" + identifier)).isEqualTo(1);
    }

    @Test
    void unknownElementIsRejectedWithOperationOutcomeAndNothingIsStored() {
        String family = unique("Unknown");
        String body = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\"}],\"favouriteColour\":\"red\"}";

        assertRejected(http.post("Patient", body));
        assertThat(http.count("Patient?family=" + family)).isZero();
    }

    @Test
    void invalidCodeIsRejectedWithOperationOutcomeAndNothingIsStored() {
        String family = unique("BadCode");
        String body = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\"}],\"gender\":\"robot\"}";

        assertRejected(http.post("Patient", body));
        assertThat(http.count("Patient?family=" + family)).isZero();
    }

    @Test
    void malformedJsonAndWrongResourceTypeAreRejected() {
        assertRejected(http.post("Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":"));
        assertRejected(http.post("Patient", json(new Observation().setStatus(Observation.ObservationStatus.FINAL))));
    }

    @Test
    void referenceToAMissingResourceIsRejectedAndNothingIsStored() {
        String code = unique("code");
        Observation observation = observation(code, new Reference("Patient/does-not-exist"));

        HttpResponse<String> response = http.post("Observation", json(observation));

        assertThat(response.statusCode()).isIn(400, 404, 422);
        assertThat(parse(response, OperationOutcome.class).getIssueFirstRep().getSeverity()).isEqualTo(IssueSeverity.ERROR);
        assertThat(http.count("Observation?code=" + SYSTEM + "|" + code)).isZero();
    }

    @Test
    void transactionWithOneBadEntryStoresNothing() {
        String family = unique("Atomic");
        String code = unique("code");
        Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
        transaction.addEntry()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(patient(family, "1"))
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Patient");
        transaction.addEntry()
                .setResource(observation(code, new Reference("Patient/does-not-exist")))
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Observation");

        HttpResponse<String> response = http.post("", json(transaction));

        assertThat(response.statusCode()).isBetween(400, 499);
        assertThat(http.count("Patient?family=" + family)).isZero();
        assertThat(http.count("Observation?code=" + SYSTEM + "|" + code)).isZero();
    }

    @Test
    void batchProcessesEachEntryOnItsOwn() {
        String family = unique("Batch");
        Bundle batch = new Bundle().setType(BundleType.BATCH);
        batch.addEntry().setResource(patient(family, "1")).getRequest().setMethod(HTTPVerb.POST).setUrl("Patient");
        batch.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Patient/does-not-exist-" + family);

        HttpResponse<String> response = http.post("", json(batch));

        assertThat(response.statusCode()).isEqualTo(200);
        Bundle result = parse(response, Bundle.class);
        assertThat(result.getType()).isEqualTo(BundleType.BATCHRESPONSE);
        assertThat(result.getEntry().get(0).getResponse().getStatus()).startsWith("201");
        assertThat(result.getEntry().get(1).getResponse().getStatus()).startsWith("404");
        assertThat(http.count("Patient?family=" + family)).as("the good entry is kept").isEqualTo(1);
    }

    @Test
    void transactionResolvesReferencesBetweenItsEntries() {
        String family = unique("Txn");
        String patientUrl = "urn:uuid:" + UUID.randomUUID();
        Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
        transaction.addEntry().setFullUrl(patientUrl).setResource(patient(family, "1"))
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Patient");
        transaction.addEntry().setResource(observation(unique("code"), new Reference(patientUrl)))
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Observation");

        HttpResponse<String> response = http.post("", json(transaction));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(http.count("Observation?subject.family=" + family)).isEqualTo(1);
    }

    @Test
    void searchPagesWithCountAndNextLinks() {
        String family = unique("Paged");
        for (int i = 0; i < 5; i++) {
            assertThat(http.post("Patient", json(patient(family, String.valueOf(i)))).statusCode()).isEqualTo(201);
        }

        Bundle page = parse(http.get("Patient?family=" + family + "&_count=2"), Bundle.class);
        int seen = page.getEntry().size();
        int pages = 1;
        while (page.getLink("next") != null) {
            page = parse(http.get(page.getLink("next").getUrl()), Bundle.class);
            seen += page.getEntry().size();
            pages++;
            assertThat(page.getEntry().size()).isLessThanOrEqualTo(2);
        }

        assertThat(seen).isEqualTo(5);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void includeAndRevincludeBringTheReferencedResources() {
        String family = unique("Incl");
        String code = unique("code");
        String patientId = idOf(http.post("Patient", json(patient(family, "1"))));
        assertThat(http.post("Observation", json(observation(code, new Reference("Patient/" + patientId))))
                .statusCode()).isEqualTo(201);

        Bundle included = parse(http.get("Observation?code=" + SYSTEM + "|" + code + "&_include=Observation:subject"), Bundle.class);
        Bundle revincluded = parse(http.get("Patient?_id=" + patientId + "&_revinclude=Observation:subject"), Bundle.class);

        assertThat(included.getEntry()).extracting(e -> e.getResource().fhirType()).containsExactlyInAnyOrder("Observation", "Patient");
        assertThat(revincluded.getEntry()).extracting(e -> e.getResource().fhirType()).containsExactlyInAnyOrder("Patient", "Observation");
    }

    @Test
    void everythingReturnsThePatientCompartment() {
        String patientId = idOf(http.post("Patient", json(patient(unique("Everything"), "1"))));
        http.post("Observation", json(observation(unique("code"), new Reference("Patient/" + patientId))));

        Bundle everything = parse(http.get("Patient/" + patientId + "/$everything"), Bundle.class);

        assertThat(everything.getEntry()).extracting(e -> e.getResource().fhirType()).contains("Patient", "Observation");
    }

    @Test
    void validateReportsErrorsWithoutStoringAnything() {
        HttpResponse<String> valid = http.post("Patient/$validate", json(patient("Valid", "1")));
        assertThat(valid.statusCode()).isEqualTo(200);
        assertThat(parse(valid, OperationOutcome.class).getIssue())
                .noneMatch(issue -> issue.getSeverity() == IssueSeverity.ERROR);

        String code = unique("code");
        Observation missingStatus = observation(code, null);
        missingStatus.setStatus(null);
        HttpResponse<String> invalid = http.post("Observation/$validate", json(missingStatus));
        // Validation ran, so 200; the findings are in the OperationOutcome (FHIR R4 $validate).
        assertThat(invalid.statusCode()).as(invalid.body()).isEqualTo(200);
        assertThat(parse(invalid, OperationOutcome.class).getIssue())
                .anyMatch(issue -> issue.getSeverity() == IssueSeverity.ERROR
                        && issue.getDiagnostics().contains("Observation.status"));
        assertThat(http.count("Observation?code=" + SYSTEM + "|" + code)).isZero();
    }

    @Test
    void corsPreflightIsAnsweredForTheConfiguredOriginOnly() {
        HttpResponse<String> allowed = http.method("OPTIONS", "Patient", BodyPublishers.noBody(),
                "Origin", "https://ehr.example.org",
                "Access-Control-Request-Method", "GET",
                "Access-Control-Request-Headers", "authorization");
        HttpResponse<String> refused = http.method("OPTIONS", "Patient", BodyPublishers.noBody(),
                "Origin", "https://evil.example.com",
                "Access-Control-Request-Method", "GET");

        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://ehr.example.org");
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void healthProbesAndPrometheusMetricsAreExposed() {
        assertThat(http.get("/actuator/health/readiness", "Accept", "application/json").body()).contains("\"UP\"");
        assertThat(http.get("/actuator/health/liveness", "Accept", "application/json").body()).contains("\"UP\"");
        HttpResponse<String> metrics = http.get("/actuator/prometheus", "Accept", "text/plain");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes", "hikaricp_connections");
    }

    private static void assertRejected(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(400, 422);
        OperationOutcome outcome = parse(response, OperationOutcome.class);
        assertThat(outcome.getIssueFirstRep().getSeverity()).isIn(IssueSeverity.ERROR, IssueSeverity.FATAL);
    }

    private static String idOf(HttpResponse<String> created) {
        assertThat(created.statusCode()).isEqualTo(201);
        return created.headers().firstValue("Location").orElseThrow().replaceAll(".*/([^/]+)/_history/.*", "$1");
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static Patient patient(String family, String identifier) {
        Patient patient = new Patient();
        patient.addName().setFamily(family).addGiven("Test");
        patient.addIdentifier().setSystem(SYSTEM).setValue(identifier);
        patient.setActive(true);
        return patient;
    }

    private static Observation observation(String code, Reference subject) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().addCoding().setSystem(SYSTEM).setCode(code);
        if (subject != null) {
            observation.setSubject(subject);
        }
        return observation;
    }
}
