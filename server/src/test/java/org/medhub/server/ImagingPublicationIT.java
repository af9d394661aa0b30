package org.medhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medhub.dicomweb.changefeed.ChangeFeed;
import org.medhub.platform.testing.ApiClient;
import org.medhub.platform.testing.KeycloakExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Publication of stored images to FHIR in the all-in-one server, through HTTP only: a STOW-RS
 * study appears as Patient + ImagingStudy on /fhir, once however often it is published, a DELETE
 * withdraws the ImagingStudy, and while FHIR cannot be reached nothing is lost.
 *
 * <p>The publisher reaches /fhir through a forwarder on a port of its own, which does not listen
 * until the first test has seen the publisher fail: that is "FHIR is down".
 */
@ExtendWith(KeycloakExtension.class)
@SpringBootTest(
        classes = MedHubApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "medhub.database.data-directory=target/it-postgres/publication-${random.uuid}",
            "medhub.data-directory=target/it-data/publication-${random.uuid}",
            "medhub.dicomweb.publish.poll-interval=200ms",
            "medhub.dicomweb.publish.initial-backoff=200ms",
            "medhub.dicomweb.publish.max-backoff=1s",
            "medhub.dicomweb.publish.default-patient-identifier-system=" + ImagingPublicationIT.MRN_SYSTEM
        })
@TestInstance(Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class ImagingPublicationIT {

    static final String MRN_SYSTEM = "urn:medhub:test:mrn";
    static final Path TEST_FILES = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final TcpForwarder FHIR_ROUTE;

    static {
        try {
            FHIR_ROUTE = new TcpForwarder(TcpForwarder.freePort());
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void fhirThroughTheForwarder(DynamicPropertyRegistry registry) {
        registry.add("medhub.services.fhir-base-url", () -> "http://localhost:" + FHIR_ROUTE.port() + "/fhir");
    }

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Autowired
    ChangeFeed feed;

    /** Everything here is done as admin. */
    ApiClient api;

    @BeforeAll
    void client() {
        api = ApiClient.onPort(port);
    }

    @AfterAll
    void stopForwarding() throws IOException {
        FHIR_ROUTE.close();
    }

    @Test
    @Order(1)
    void whileFhirIsUnreachableNothingIsLostAndOnceItIsBackTheStudyIsPublished() throws Exception {
        String study = stow(image("CT_small.dcm", "20040119072730.12322", "20040119072730.70001", "1CT1", "7CT1"));
        await("the publisher failed to reach FHIR twice",
                () -> meters.counter("medhub.dicomweb.publish.failures").count() >= 2);
        assertThat(feed.checkpoint("fhir-publisher")).as("checkpoint stays while FHIR is down").isZero();
        assertThat(imagingStudies(study).getTotal()).isZero();

        FHIR_ROUTE.forwardTo(port);

        await("the study is published", () -> imagingStudies(study).getTotal() == 1);
        assertThat(feed.checkpoint("fhir-publisher")).isEqualTo(feed.latest().orElseThrow().sequence());
        assertThat(patients("7CT1").getTotal()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void aStoredStudyLinksToTheExistingPatientAndIsPublishedOnceHoweverOftenItIsReplayed() throws Exception {
        Patient existing = new Patient();
        existing.addIdentifier().setSystem(MRN_SYSTEM).setValue("7MR1");
        existing.addName().setFamily("Existing").addGiven("Record");
        String patientId = created(post("Patient", FHIR.newJsonParser().encodeResourceToString(existing)));

        String study = stow(image("MR_small.dcm", "20040826185059.5457", "20040826185059.7002", "4MR1", "7MR1"));
        await("the study is published", () -> imagingStudies(study).getTotal() == 1);

        ImagingStudy published = (ImagingStudy) imagingStudies(study).getEntryFirstRep().getResource();
        assertThat(published.getSubject().getReference()).isEqualTo("Patient/" + patientId);
        assertThat(published.getNumberOfSeries()).isEqualTo(1);
        assertThat(published.getNumberOfInstances()).isEqualTo(1);
        assertThat(published.getModalityFirstRep().getCode()).isEqualTo("MR");
        assertThat(published.getSeriesFirstRep().getInstanceFirstRep().getSopClass().getCode())
                .isEqualTo("urn:oid:1.2.840.10008.5.1.4.1.1.4");
        assertThat(published.getStarted()).isNotNull();
        Endpoint endpoint = read(Endpoint.class, published.getEndpointFirstRep().getReference());
        assertThat(endpoint.getConnectionType().getCode()).isEqualTo("dicom-wado-rs");
        assertThat(endpoint.getAddress()).endsWith("/dicomweb");
        Patient patient = read(Patient.class, "Patient/" + patientId);
        assertThat(patient.getNameFirstRep().getFamily()).as("the EHR's record is not overwritten").isEqualTo("Existing");

        // Replay the whole feed: every study is published again, nothing is duplicated.
        long latest = feed.latest().orElseThrow().sequence();
        feed.advance("fhir-publisher", 0);
        await("the feed is replayed", () -> feed.checkpoint("fhir-publisher") == latest);
        assertThat(imagingStudies(study).getTotal()).isEqualTo(1);
        assertThat(patients("7MR1").getTotal()).isEqualTo(1);
        assertThat(search("Endpoint?identifier=urn:medhub:endpoint%7Cdicomweb").getTotal()).isEqualTo(1);
    }

    @Test
    @Order(3)
    void deletingAStudyWithdrawsItsImagingStudyAndStoringItAgainRestoresTheSameOne() throws Exception {
        byte[] ct = image("CT_small.dcm", "20040119072730.12322", "20040119072730.70003", "1CT1", "7CT3");
        String study = stow(ct);
        await("the study is published", () -> imagingStudies(study).getTotal() == 1);
        String id = imagingStudies(study).getEntryFirstRep().getResource().getIdElement().getIdPart();

        HttpResponse<Void> deleted = api.send("admin", HttpRequest.newBuilder(api.uri("/dicomweb/studies/" + study)).DELETE(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(deleted.statusCode()).isEqualTo(204);

        await("the ImagingStudy is withdrawn", () -> published(study).getStatus()
                == ImagingStudy.ImagingStudyStatus.ENTEREDINERROR);
        assertThat(published(study).getSeries()).isEmpty();
        assertThat(published(study).getNumberOfInstances()).isZero();
        assertThat(patients("7CT3").getTotal()).isEqualTo(1);

        stow(ct);
        await("the ImagingStudy is available again", () -> published(study).getStatus()
                == ImagingStudy.ImagingStudyStatus.AVAILABLE);
        assertThat(imagingStudies(study).getTotal()).isEqualTo(1);
        assertThat(published(study).getIdElement().getIdPart()).isEqualTo(id);
        assertThat(published(study).getSeries()).hasSize(1);
    }

    @Test
    @Order(4)
    void theAuditTrailOfAPatientFindsTheirDicomwebStoreQueryReadAndDeleteAndNoneOfAnothersPatients() throws Exception {
        String study = stow(image("CT_small.dcm", "20040119072730.12322", "20040119072730.70004", "1CT1", "7CT4"));
        String otherStudy = stow(image("MR_small.dcm", "20040826185059.5457", "20040826185059.7004", "4MR1", "7MR4"));
        await("both studies are published", () -> imagingStudies(study).getTotal() == 1
                && imagingStudies(otherStudy).getTotal() == 1);
        String patient = "Patient/" + patients("7CT4").getEntryFirstRep().getResource().getIdElement().getIdPart();
        String other = "Patient/" + patients("7MR4").getEntryFirstRep().getResource().getIdElement().getIdPart();
        for (String uid : new String[] {study, otherStudy}) {
            assertThat(dicomweb("GET", "/dicomweb/studies/" + uid + "/metadata")).isEqualTo(200);
        }
        assertThat(dicomweb("GET", "/dicomweb/studies?PatientID=7CT4")).isEqualTo(200);
        assertThat(dicomweb("DELETE", "/dicomweb/studies/" + study)).isEqualTo(204);

        List<String> subtypes = List.of("create", "read", "search-type", "delete");
        Supplier<Bundle> trail = () -> search("AuditEvent?patient=" + patient + "&_count=100");
        await("the patient's DICOMweb events are found", () -> trail.get().getEntry().stream()
                .map(entry -> ((AuditEvent) entry.getResource()).getSubtypeFirstRep().getCode())
                .collect(Collectors.toSet()).containsAll(subtypes));

        assertThat(trail.get().getEntry()).allSatisfy(entry -> {
            List<String> named = ((AuditEvent) entry.getResource()).getEntity().stream()
                    .map(entity -> entity.getWhat().getReference()).toList();
            assertThat(named).contains(patient).doesNotContain(other);
        });
        // The STOW event names the patient by PatientID in the publisher's system, now also resolved.
        assertThat(trail.get().getEntry()).anySatisfy(entry -> assertThat(((AuditEvent) entry.getResource()).getEntity())
                .anySatisfy(entity -> {
                    assertThat(entity.getWhat().getReference()).isEqualTo(patient);
                    assertThat(entity.getWhat().getIdentifier().getSystem()).isEqualTo(MRN_SYSTEM);
                    assertThat(entity.getWhat().getIdentifier().getValue()).isEqualTo("7CT4");
                }));
    }

    /** A DICOMweb request as admin; returns its status. */
    private int dicomweb(String method, String path) throws Exception {
        return api.send("admin", HttpRequest.newBuilder(api.uri(path)).header("Accept", "application/dicom+json")
                .method(method, HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private ImagingStudy published(String studyUid) {
        return (ImagingStudy) imagingStudies(studyUid).getEntryFirstRep().getResource();
    }

    /** A corpus file under UIDs and a PatientID of its own (same lengths, so the file stays valid). */
    private static byte[] image(String file, String uidSuffix, String ownSuffix, String patientId, String ownPatientId)
            throws IOException {
        String text = new String(Files.readAllBytes(TEST_FILES.resolve(file)), StandardCharsets.ISO_8859_1);
        return text.replace(uidSuffix, ownSuffix).replace(patientId, ownPatientId).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** STOW-RS of one object as admin; returns its study UID. */
    private String stow(byte[] object) throws Exception {
        HttpResponse<String> response = Stow.stow(api.baseUrl(), api.tokens("admin").get(), object);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String retrieveUrl = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body())
                .path("00081190").path("Value").get(0).asText();
        return retrieveUrl.substring(retrieveUrl.lastIndexOf('/') + 1);
    }

    private Bundle imagingStudies(String studyUid) {
        return search("ImagingStudy?identifier=" + encode("urn:dicom:uid|urn:oid:" + studyUid));
    }

    private Bundle patients(String patientId) {
        return search("Patient?identifier=" + encode(MRN_SYSTEM + "|" + patientId));
    }

    private Bundle search(String query) {
        return read(Bundle.class, query);
    }

    private <T extends org.hl7.fhir.instance.model.api.IBaseResource> T read(Class<T> type, String path) {
        try {
            HttpResponse<String> response = api.send("admin", HttpRequest.newBuilder(api.uri("/fhir/" + path))
                    .header("Accept", "application/fhir+json").GET());
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
            return FHIR.newJsonParser().parseResource(type, response.body());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> post(String type, String json) throws Exception {
        return api.send("admin", HttpRequest.newBuilder(api.uri("/fhir/" + type)).header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static String created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return FHIR.newJsonParser().parseResource(Patient.class, response.body()).getIdElement().getIdPart();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Polls up to two minutes: the publisher runs in the background. */
    private static void await(String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .until(condition::getAsBoolean);
    }
}
