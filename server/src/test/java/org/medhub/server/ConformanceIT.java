package org.medhub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medhub.dicomweb.changefeed.ChangeFeed;
import org.medhub.platform.database.SchemaDataSources;
import org.medhub.platform.testing.ApiClient;
import org.medhub.platform.testing.KeycloakExtension;
import org.medhub.platform.testing.conformance.R4Conformance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What MedHub writes, read back as an outside validator would: the all-in-one server is used the
 * way its people use it (images stored from the pydicom corpus, read, searched and deleted through
 * DICOMweb as each role; FHIR reads, searches, writes, a transaction and a delete), and then every
 * resource MedHub wrote on /fhir is fetched with HAPI's client and validated with HAPI's validator
 * against R4 and against each profile it claims ({@link R4Conformance}). The test fails with every
 * message, grouped by kind of resource, so one run shows all that a client would misread.
 */
@ExtendWith(KeycloakExtension.class)
@SpringBootTest(
        classes = MedHubApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "medhub.database.data-directory=target/it-postgres/conformance-${random.uuid}",
            "medhub.data-directory=target/it-data/conformance-${random.uuid}",
            "medhub.dicomweb.publish.poll-interval=200ms",
            "medhub.deid.enabled=true",
            "medhub.deid.secret=conformance-it-key-of-at-least-32-characters",
            "medhub.deid.profiles-directory=../config/deid"
        })
@TestInstance(Lifecycle.PER_CLASS)
class ConformanceIT {

    static final Path TEST_FILES = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    static final FhirContext FHIR = FhirContext.forR4Cached();
    /** Resource types MedHub itself writes (the rest of /fhir is what its clients wrote). */
    static final List<String> WRITTEN_BY_MEDHUB = List.of("Patient", "ImagingStudy", "Endpoint", "AuditEvent",
            "RiskAssessment", "Device", "Provenance", "StructureDefinition");

    @LocalServerPort
    int port;

    @Autowired
    ChangeFeed feed;

    @Autowired
    SchemaDataSources dataSources;

    /** One cached token per role: a password grant per request would trip Keycloak's brute-force check. */
    ApiClient api;
    IGenericClient admin;
    List<String> stored;

    @BeforeAll
    void useMedHubAsItsPeopleDo() throws Exception {
        api = ApiClient.onPort(port);
        admin = client("admin");
        stored = storeTheCorpus();
        assertThat(stored).as("studies stored from the corpus").hasSizeGreaterThan(10);
        readImagesAsEachRole(stored.get(0));
        useFhirAsAClinician();
        deleteAStudy(stored.get(stored.size() - 1));
        awaitPublication();
    }

    @Test
    void everyResourceMedHubWroteConformsToR4AndToTheProfilesItClaims() {
        Map<String, List<String>> problems = new TreeMap<>();
        Map<String, Integer> validated = new TreeMap<>();
        for (String type : WRITTEN_BY_MEDHUB) {
            for (Resource resource : everything(type)) {
                if (!writtenByMedHub(resource)) {
                    continue;
                }
                String kind = kind(resource);
                validated.merge(kind, 1, Integer::sum);
                List<String> errors = R4Conformance.shared().errors(resource);
                if (!errors.isEmpty()) {
                    problems.computeIfAbsent(kind, k -> new ArrayList<>())
                            .add(resource.getIdElement().toUnqualifiedVersionless() + ": " + String.join(" | ", errors));
                }
            }
        }
        System.out.println("Validated, by kind: " + validated);
        assertThat(validated.keySet()).as("kinds of resource MedHub wrote in this run")
                .anyMatch(kind -> kind.startsWith("ImagingStudy"))
                .anyMatch(kind -> kind.startsWith("Patient"))
                .anyMatch(kind -> kind.startsWith("Endpoint"))
                .anyMatch(kind -> kind.startsWith("AuditEvent"));
        assertThat(problems).as(() -> problems.entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue().size() + " of " + validated.get(e.getKey()) + "):\n    "
                        + e.getValue().stream().limit(3).collect(Collectors.joining("\n    ")))
                .collect(Collectors.joining("\n"))).isEmpty();
    }

    @Test
    void aStudyListsOnlyAcquisitionModalitiesWhileItsSeriesKeepTheirOwnAndAccessionNumbersNameTheirIssuer() {
        Set<String> notAcquisition = Set.of("OT", "SR", "SEG", "RTDOSE", "RTPLAN", "RTSTRUCT", "PR", "KO", "DOC");
        List<ImagingStudy> studies = everything("ImagingStudy").stream().map(ImagingStudy.class::cast).toList();
        assertThat(studies).as("a study whose series include a non-acquisition modality, so the check means something")
                .anyMatch(study -> study.getSeries().stream().anyMatch(s -> notAcquisition.contains(s.getModality().getCode())));
        for (ImagingStudy study : studies) {
            assertThat(study.getModality()).extracting(Coding::getCode).as(study.getIdElement().getIdPart())
                    .doesNotContainAnyElementsOf(notAcquisition);
            study.getIdentifier().stream().filter(id -> id.getType().hasCoding("http://terminology.hl7.org/CodeSystem/v2-0203", "ACSN"))
                    .forEach(accession -> assertThat(accession.getSystem()).as("accession number system").isNotBlank());
        }
    }

    /** A resource's kind: its type, what it claims (profiles) and, for audit events, what happened. */
    private static String kind(Resource resource) {
        String profiles = resource.getMeta().getProfile().stream().map(CanonicalType::getValue)
                .map(url -> url.substring(url.lastIndexOf('/') + 1)).collect(Collectors.joining(","));
        String what = resource instanceof AuditEvent event
                ? event.getType().getCode() + "/" + event.getSubtype().stream().map(Coding::getCode)
                        .collect(Collectors.joining(","))
                : "";
        return Stream.of(resource.fhirType(), what, profiles).filter(s -> !s.isEmpty()).collect(Collectors.joining(" "));
    }

    /** Patients created by this test through FHIR are the test's, not MedHub's; the rest are MedHub's. */
    private static boolean writtenByMedHub(Resource resource) {
        return !(resource instanceof Patient patient && patient.getIdentifier().stream()
                .anyMatch(id -> "urn:medhub:test:conformance".equals(id.getSystem())));
    }

    private List<Resource> everything(String type) {
        List<Resource> resources = new ArrayList<>();
        Bundle page = admin.search().forResource(type).count(200).returnBundle(Bundle.class).execute();
        while (page != null) {
            page.getEntry().forEach(entry -> resources.add(entry.getResource()));
            page = page.getLink(Bundle.LINK_NEXT) == null ? null : admin.loadPage().next(page).execute();
        }
        return resources;
    }

    /** Every corpus file MedHub accepts, one STOW-RS request each; returns the stored studies' UIDs. */
    private List<String> storeTheCorpus() throws Exception {
        List<String> studies = new ArrayList<>();
        try (Stream<Path> files = Files.list(TEST_FILES)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                HttpResponse<String> response = stow("clinician", Files.readAllBytes(file));
                String retrieveUrl = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body())
                        .path("00081190").path("Value").path(0).asText("");
                if (response.statusCode() == 200 && !retrieveUrl.isEmpty()) {
                    studies.add(retrieveUrl.substring(retrieveUrl.lastIndexOf('/') + 1));
                }
            }
        }
        return studies.stream().distinct().toList();
    }

    private void readImagesAsEachRole(String study) throws Exception {
        for (String role : List.of("clinician", "viewer", "researcher", "admin")) {
            HttpResponse<byte[]> studies = get(role, "/dicomweb/studies?limit=5");
            assertThat(studies.statusCode()).isEqualTo(200);
            // Each role's own first study: the researcher sees pseudonymous UIDs only.
            String first = new com.fasterxml.jackson.databind.ObjectMapper().readTree(studies.body())
                    .path(0).path("0020000D").path("Value").path(0).asText();
            assertThat(get(role, "/dicomweb/studies/" + first + "/series").statusCode()).isEqualTo(200);
            assertThat(get(role, "/dicomweb/studies/" + first + "/metadata").statusCode()).isEqualTo(200);
        }
        assertThat(get("clinician", "/dicomweb/studies/" + study).statusCode()).isEqualTo(200);
        assertThat(get("viewer", "/dicomweb/studies/1.2.3.4.5.6.7.8.9").statusCode()).as("an unknown study").isEqualTo(404);
    }

    private void useFhirAsAClinician() {
        IGenericClient clinician = client("clinician");
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:medhub:test:conformance").setValue("c-1");
        patient.addName().setFamily("Conformance").addGiven("Clara");
        patient.setGender(AdministrativeGender.FEMALE);
        String id = clinician.create().resource(patient).execute().getId().getIdPart();
        Patient read = clinician.read().resource(Patient.class).withId(id).execute();
        read.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1960-05-01"));
        clinician.update().resource(read).execute();
        clinician.search().forResource(Patient.class).where(Patient.FAMILY.matches().value("Conformance"))
                .returnBundle(Bundle.class).execute();

        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().addCoding().setSystem("http://loinc.org").setCode("8480-6");
        observation.setSubject(new org.hl7.fhir.r4.model.Reference("Patient/" + id));
        transaction.addEntry().setResource(observation).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        Bundle answer = clinician.transaction().withBundle(transaction).execute();
        String observationId = new org.hl7.fhir.r4.model.IdType(answer.getEntryFirstRep().getResponse().getLocation()).getIdPart();

        admin.delete().resourceById("Observation", observationId).execute();
        admin.delete().resourceById("Patient", id).execute();
    }

    private void deleteAStudy(String study) throws Exception {
        HttpResponse<Void> deleted = api.send("admin", HttpRequest.newBuilder(api.uri("/dicomweb/studies/" + study)).DELETE(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(deleted.statusCode()).isEqualTo(204);
    }

    /** Studies reach /fhir and audit events reach the trail in the background. */
    private void awaitPublication() {
        long latest = feed.latest().orElseThrow().sequence();
        await("the stored studies published to /fhir").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> feed.checkpoint("fhir-publisher") >= latest);
        // The audit outbox drains on its own schedule: wait until it holds nothing unpublished.
        await("the audit outbox drained to /fhir").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> unpublishedAuditEvents() == 0);
    }

    private int unpublishedAuditEvents() throws java.sql.SQLException {
        try (var audit = dataSources.forSchema("audit");
                var connection = audit.getConnection();
                var query = connection.prepareStatement("SELECT count(*) FROM audit_outbox WHERE published_at IS NULL");
                var rs = query.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private HttpResponse<String> stow(String role, byte[] object) throws Exception {
        return Stow.stow(api.baseUrl(), api.tokens(role).get(), object);
    }

    private HttpResponse<byte[]> get(String role, String path) throws IOException, InterruptedException {
        return api.send(role, HttpRequest.newBuilder(api.uri(path)).GET(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private IGenericClient client(String user) {
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        IGenericClient client = FHIR.newRestfulGenericClient(api.baseUrl() + "/fhir");
        Supplier<String> tokens = api.tokens(user);
        client.registerInterceptor(new IClientInterceptor() {
            @Override
            public void interceptRequest(IHttpRequest request) {
                request.addHeader("Authorization", "Bearer " + tokens.get());
            }

            @Override
            public void interceptResponse(IHttpResponse response) {}
        });
        return client;
    }

}
