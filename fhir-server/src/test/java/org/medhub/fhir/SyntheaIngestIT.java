package org.medhub.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medhub.fhir.FhirHttp.FHIR;
import static org.medhub.fhir.FhirHttp.parse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medhub.platform.testing.KeycloakExtension;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestMethodOrder;
import org.medhub.fhir.standalone.FhirServerApplication;
import org.medhub.platform.testing.SyntheaCohort;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Realistic data end to end: Synthea's transaction bundles for 20 patients go in through HTTP, and
 * what comes back out (counts, searches, bulk export) matches what went in. Runs on a database of
 * its own so the counts are exact.
 */
@ExtendWith(KeycloakExtension.class)
@SpringBootTest(
        classes = FhirServerApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "medhub.database.data-directory=target/it-postgres/synthea-${random.uuid}")
@DirtiesContext
@TestInstance(Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class SyntheaIngestIT {

    private static final int PATIENTS = 20;
    private static final Duration EXPORT_TIMEOUT = Duration.ofMinutes(3);
    private static final String SYNTHEA_IDENTIFIER = "https://github.com/synthetichealth/synthea";

    @LocalServerPort
    int port;

    FhirHttp http;
    List<Bundle> bundles;

    @BeforeAll
    void loadCohort() {
        http = new FhirHttp(port, FhirHttp.tokensOf("admin"));
        List<Path> files = SyntheaCohort.generate(PATIENTS, 2026, 3).bundlesInLoadOrder();
        bundles = new ArrayList<>();
        for (Path file : files) {
            HttpResponse<String> response = http.postFile("", file);
            assertThat(response.statusCode()).as("%s: %s", file.getFileName(), abbreviate(response.body())).isEqualTo(200);
            Bundle answer = parse(response, Bundle.class);
            assertThat(answer.getEntry()).allSatisfy(entry ->
                    assertThat(entry.getResponse().getStatus()).startsWith("20"));
            bundles.add(read(file));
        }
    }

    @Test
    @Order(1)
    void everyResourceTypeHasAsManyResourcesAsTheBundlesCarried() {
        Map<String, Integer> expected = new TreeMap<>();
        for (Bundle bundle : bundles) {
            for (BundleEntryComponent entry : bundle.getEntry()) {
                expected.merge(entry.getResource().fhirType(), 1, Integer::sum);
            }
        }

        Map<String, Integer> actual = new TreeMap<>();
        expected.keySet().forEach(type -> actual.put(type, http.count(type)));

        assertThat(expected.get("Patient")).isEqualTo(PATIENTS);
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    @Order(2)
    void patientsAreFoundByNameIdentifierAndBirthDateRange() {
        List<Patient> patients = patients();
        Patient patient = patients.get(7);
        String family = patient.getNameFirstRep().getFamily();
        Identifier identifier = patient.getIdentifier().stream()
                .filter(i -> SYNTHEA_IDENTIFIER.equals(i.getSystem()))
                .findFirst()
                .orElseThrow();
        String birthDate = patient.getBirthDateElement().getValueAsString();
        long sameFamily = patients.stream().filter(p -> family.equals(p.getNameFirstRep().getFamily())).count();
        long bornOnOrAfter = patients.stream()
                .filter(p -> p.getBirthDateElement().getValueAsString().compareTo(birthDate) >= 0)
                .count();

        assertThat(http.count("Patient?family=" + family)).isEqualTo(sameFamily);
        assertThat(http.count("Patient?identifier=" + SYNTHEA_IDENTIFIER + "|" + identifier.getValue())).isEqualTo(1);
        assertThat(http.count("Patient?birthdate=" + birthDate)).isGreaterThanOrEqualTo(1);
        assertThat(http.count("Patient?birthdate=ge" + birthDate)).isEqualTo(bornOnOrAfter);
        assertThat(http.count("Patient?birthdate=lt" + birthDate)).isEqualTo(PATIENTS - bornOnOrAfter);
        assertThat(http.count("Patient?birthdate=ge1900-01-01&birthdate=lt1900-01-02")).isZero();
    }

    @Test
    @Order(3)
    void observationsOfAPatientAreFoundByDateRange() {
        Patient patient = patients().get(3);
        String identifier = patient.getIdentifier().stream()
                .filter(i -> SYNTHEA_IDENTIFIER.equals(i.getSystem()))
                .findFirst()
                .orElseThrow()
                .getValue();
        int all = http.count("Observation?subject:Patient.identifier=" + SYNTHEA_IDENTIFIER + "|" + identifier);
        int recent = http.count("Observation?subject:Patient.identifier=" + SYNTHEA_IDENTIFIER + "|" + identifier
                + "&date=ge" + Instant.now().minus(Duration.ofDays(3 * 365)).toString().substring(0, 10));

        assertThat(all).isPositive();
        assertThat(recent).isBetween(0, all);
        assertThat(http.count("Observation?subject:Patient.identifier=" + SYNTHEA_IDENTIFIER + "|" + identifier
                + "&date=lt1800-01-01")).isZero();
    }

    @Test
    @Order(4)
    void bulkExportDeliversEveryPatientAndConditionAsNdjson() throws Exception {
        HttpResponse<String> kickOff = http.get("$export?_type=Patient,Condition", "Prefer", "respond-async");
        assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);
        String status = kickOff.headers().firstValue("Content-Location").orElseThrow();

        HttpResponse<String> poll = http.get(status);
        Instant deadline = Instant.now().plus(EXPORT_TIMEOUT);
        while (poll.statusCode() == 202 && Instant.now().isBefore(deadline)) {
            Thread.sleep(2000);
            poll = http.get(status);
        }
        assertThat(poll.statusCode()).as(poll.body()).isEqualTo(200);

        Map<String, Integer> exported = new TreeMap<>();
        var manifest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(poll.body());
        for (var output : manifest.get("output")) {
            HttpResponse<String> file = http.get(output.get("url").asText(), "Accept", "application/fhir+ndjson");
            assertThat(file.statusCode()).isEqualTo(200);
            String ndjson = file.body().startsWith("{\"resourceType\":\"Binary\"")
                    ? new String(FHIR.newJsonParser().parseResource(Binary.class, file.body()).getContent())
                    : file.body();
            exported.merge(output.get("type").asText(), (int) ndjson.lines().filter(l -> !l.isBlank()).count(),
                    Integer::sum);
        }

        assertThat(exported).containsEntry("Patient", PATIENTS);
        assertThat(exported).containsEntry("Condition", http.count("Condition"));
    }

    private List<Patient> patients() {
        return bundles.stream()
                .flatMap(b -> b.getEntry().stream())
                .map(BundleEntryComponent::getResource)
                .filter(Patient.class::isInstance)
                .map(Patient.class::cast)
                .toList();
    }

    private static Bundle read(Path file) {
        try {
            return FHIR.newJsonParser().parseResource(Bundle.class, Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String abbreviate(String body) {
        return body.length() > 500 ? body.substring(0, 500) + "..." : body;
    }
}
