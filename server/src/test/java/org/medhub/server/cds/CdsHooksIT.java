package org.medhub.server.cds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.medhub.platform.testing.ApiClient.json;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medhub.cdshooks.DevEhr;
import org.medhub.cdshooks.record.RiskAssessments;
import org.medhub.platform.fhir.FhirDecimals;
import org.medhub.platform.fhir.MedHubDefinitions;
import org.medhub.platform.testing.ApiClient;
import org.medhub.platform.testing.KeycloakExtension;
import org.medhub.platform.testing.KeycloakTestServer;
import org.medhub.platform.testing.conformance.R4Conformance;
import org.medhub.server.MedHubApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The CDS service as an EHR uses it, through HTTP with requests shaped like the CDS Hooks 2.0
 * examples: a model trained through {@code /ml/api}, patients in {@code /fhir}, calls signed by the
 * dev EHR. Covers discovery, full prefetch, no prefetch (read from /fhir with the EHR's token), 412,
 * missing and too old data, the client JWT checks, the RiskAssessment written for a card, and feedback.
 *
 * <p>And what a hostile caller tries (issue 13): forwarded and Host headers that would move card
 * links, the accepted {@code aud} and the audited address; {@code fhirServer} pointed into the
 * server's network, or at servers that answer slowly, endlessly or with internal detail; bodies
 * sent without a valid token or above the cap; feedback that leaves no audit record. 127.0.0.2 is
 * configured as a trusted proxy; the tests' ordinary client (127.0.0.1) is not.
 */
@ExtendWith(KeycloakExtension.class)
@SpringBootTest(
        classes = MedHubApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"medhub.database.data-directory=target/it-postgres/cds-${random.uuid}",
            "medhub.data-directory=target/it-data/cds-${random.uuid}", "medhub.ml.worker-threads=2",
            "medhub.trusted-proxies=" + CdsHooksIT.PROXY, "medhub.cds.max-fhir-response-bytes=512KB"})
@TestInstance(Lifecycle.PER_CLASS)
class CdsHooksIT {

    private static final KeycloakTestServer KEYCLOAK = KeycloakTestServer.shared();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final IParser FHIR = FhirContext.forR4Cached().newJsonParser();
    private static final String LOINC = "http://loinc.org";
    private static final String SNOMED = "http://snomed.info/sct";
    static final String PROXY = "127.0.0.2";
    private static final FakeFhirServers FAKE_FHIR;

    static {
        try {
            FAKE_FHIR = new FakeFhirServers();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();
    /** The dev users' calls (researcher, admin, clinician) to /ml/api and /fhir; the EHR's calls go through {@link #http}. */
    ApiClient api;
    String complete;
    String incomplete;
    List<String> completeBasis;

    @DynamicPropertySource
    static void cdsSettings(DynamicPropertyRegistry registry) throws java.io.IOException {
        // The dev EHR, allowed this server's /fhir and the fake servers (but not the connection recorder).
        java.nio.file.Path clients = java.nio.file.Files.createTempFile("cds-clients", ".yaml");
        java.nio.file.Files.writeString(clients, """
                clients:
                  - issuer: %s
                    publicKeyPem: [%s]
                    fhir-servers: [/fhir, %s, %s, %s]
                """.formatted(DevEhr.ISSUER, DevEhr.configDirectory().resolve("dev/cds-hooks-dev-ehr.pub.pem"),
                FAKE_FHIR.base("slow"), FAKE_FHIR.base("huge"), FAKE_FHIR.base("failing")));
        clients.toFile().deleteOnExit();
        registry.add("medhub.cds.client-files", clients::toString);
        registry.add("medhub.cds.spec-directory", () -> DevEhr.configDirectory().resolve("ml").toString());
    }

    @BeforeAll
    void trainTheModelAndStorePatients() throws Exception {
        api = ApiClient.onPort(port);
        HttpResponse<String> dataset = api.send("researcher", HttpRequest.newBuilder(api.uri(
                        "/ml/api/datasets?name=cvd&target=cvd_event&positiveClass=yes&range=age:18,110"))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofByteArray(CvdCohort.csv(400, 7))));
        assertThat(dataset.statusCode()).as(dataset.body()).isEqualTo(201);
        String run = """
                {"datasetId":"%s","modelName":"cvd-risk","algorithms":["LOGISTIC_REGRESSION"],"folds":3,
                 "grids":{"LOGISTIC_REGRESSION":{"learningRate":[0.5],"epochs":[20]}}}"""
                .formatted(json(dataset).get("id").asText());
        HttpResponse<String> started = api.send("admin", HttpRequest.newBuilder(api.uri("/ml/api/training-runs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(run)));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String status = api.awaitFinished("researcher", "/ml/api/training-runs/" + json(started).get("id").asText(),
                Duration.ofMinutes(4)).get("status").asText();
        assertThat(status).isEqualTo("SUCCEEDED");

        LocalDate recent = LocalDate.now().minusMonths(2);
        Bundle created = transaction(
                patient("complete", "1961-04-02", AdministrativeGender.MALE),
                bloodPressure(162, recent), quantity("2093-3", 240, "mg/dL", recent), quantity("2085-9", 38, "mg/dL", recent),
                quantity("39156-5", 31.2, "kg/m2", recent), smoking("449868002", recent), condition("38341003", "2015-06-01"));
        complete = id(created, 0);
        completeBasis = List.of(ref(created, 1), ref(created, 2), ref(created, 3), ref(created, 4), ref(created, 5),
                ref(created, 6));
        // No blood pressure at all, and a BMI from six years ago.
        Bundle sparse = transaction(patient("incomplete", "1970-01-01", AdministrativeGender.FEMALE),
                quantity("2093-3", 180, "mg/dL", recent), quantity("2085-9", 60, "mg/dL", recent),
                quantity("39156-5", 24, "kg/m2", LocalDate.now().minusYears(6)), smoking("266919005", recent));
        incomplete = id(sparse, 0);
    }

    @Test
    void discoveryIsPublicAndOffersTheModelOnPatientViewWithPrefetchForItsFeatures() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(api.uri("/cds-services")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode service = json(response).get("services").get(0);
        assertThat(service.get("id").asText()).isEqualTo("cvd-risk");
        assertThat(service.get("hook").asText()).isEqualTo("patient-view");
        assertThat(service.get("description").asText()).isNotBlank();
        assertThat(service.get("prefetch").fieldNames()).toIterable().containsExactly(
                "patient", "sbp", "total_cholesterol", "hdl", "bmi", "smoking", "conditions");
        assertThat(service.at("/prefetch/patient").asText()).isEqualTo("Patient/{{context.patientId}}");
        assertThat(service.at("/prefetch/sbp").asText()).contains("combo-code=http://loinc.org|8480-6");
        assertThat(service.at("/prefetch/conditions").asText()).contains("http://snomed.info/sct|44054006", "|38341003");
    }

    @Test
    void browsersGetCorsOnPreflight() throws Exception {
        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(api.uri("/cds-services/cvd-risk"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://sandbox.cds-hooks.org")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
                .contains("authorization", "content-type");
    }

    @Test
    void aCallWithFullPrefetchAnswersACardThatMatchesTheRiskAssessmentFoundOnThePatient() throws Exception {
        String hookInstance = UUID.randomUUID().toString();
        HttpResponse<String> response = call(request(complete, hookInstance, prefetch(complete)), DevEhr.jwt(endpoint()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode card = json(response).get("cards").get(0);
        assertThat(card.get("summary").asText()).hasSizeLessThan(140).contains("5-year risk", "cvd-risk v1");
        assertThat(card.get("indicator").asText()).isIn("info", "warning", "critical");
        assertThat(card.get("detail").asText()).contains("Top contributing factors", "raises risk", "sbp = 162",
                "Model: cvd-risk version 1");
        assertThat(card.at("/source/label").asText()).isEqualTo("MedHub cvd-risk v1");
        assertThat(card.at("/source/url").asText()).endsWith("/ml/api/models/cvd-risk/versions/1/model-card");
        assertThat(card.at("/links/0/type").asText()).isEqualTo("smart");
        assertThat(card.at("/links/0/url").asText()).endsWith("/app/");
        assertThat(card.at("/links/0/appContext").asText()).isEqualTo("patient=" + complete);
        assertThat(card.get("uuid").asText()).isNotBlank();

        RiskAssessment risk = riskAssessmentOf(complete, hookInstance);
        // Issue 14: an R4 client reads probabilityDecimal as a percentage (ras-2); it was written as 0..1.
        BigDecimal percent = risk.getPredictionFirstRep().getProbabilityDecimalType().getValue();
        assertThat(percent).isEqualTo(FhirDecimals.percent(mlProbabilityFraction(risk)).getValue());
        assertThat(percent.precision()).as("significant digits of " + percent).isLessThanOrEqualTo(4);
        String shown = percent.setScale(1, RoundingMode.HALF_UP).toPlainString() + " %";
        assertThat(card.get("summary").asText()).contains(shown);
        assertThat(risk.getNoteFirstRep().getText()).contains(shown);
        assertThat(risk.getMeta().getTag(RiskAssessments.FORMAT_SYSTEM, RiskAssessments.FORMAT_PERCENT)).isNotNull();
        assertThat(risk.getStatus()).isEqualTo(RiskAssessment.RiskAssessmentStatus.FINAL);
        assertThat(risk.getMethod().getCodingFirstRep().getDisplay()).isEqualTo("cvd-risk v1");
        assertThat(risk.getBasis()).extracting(Reference::getReference).containsExactlyInAnyOrderElementsOf(completeBasis);
        assertThat(risk.getPerformer().getReference()).startsWith("Device/");
        assertThat(risk.getMeta().getSecurity()).extracting(Coding::getCode).contains("AIAST");
        assertThat(risk.getExtensionByUrl(RiskAssessments.EXPLANATION).getExtensionsByUrl("contribution")).hasSize(9);
        assertThat(risk.getPredictionFirstRep().getQualitativeRisk().getCodingFirstRep().getCode())
                .isEqualTo(Map.of("info", "low", "warning", "moderate", "critical", "high").get(card.get("indicator").asText()));

        // What it wrote conforms to R4 and to MedHub's extension definitions, as the server publishes them.
        R4Conformance.shared().assertConforms(risk);
        R4Conformance.shared().assertConforms(r4Client("clinician").read().resource(Device.class)
                .withId(risk.getPerformer().getReferenceElement()).execute());
        Bundle provenance = r4Client("clinician").search().forResource(Provenance.class)
                .where(Provenance.TARGET.hasId(risk.getIdElement().toUnqualifiedVersionless())).returnBundle(Bundle.class).execute();
        assertThat(provenance.getEntry()).hasSize(1);
        R4Conformance.shared().assertConforms(provenance.getEntryFirstRep().getResource());
        for (StructureDefinition shipped : MedHubDefinitions.load()) {
            Bundle published = r4Client("clinician").search().forResource(StructureDefinition.class)
                    .where(StructureDefinition.URL.matches().value(shipped.getUrl())).returnBundle(Bundle.class).execute();
            assertThat(published.getEntry()).as(shipped.getUrl()).hasSize(1);
            assertThat(((StructureDefinition) published.getEntryFirstRep().getResource()).getDifferential()
                    .equalsDeep(shipped.getDifferential())).as("published as shipped: " + shipped.getUrl()).isTrue();
        }

        // The same hookInstance again (a retry) records nothing new.
        assertThat(call(request(complete, hookInstance, prefetch(complete)), DevEhr.jwt(endpoint())).statusCode()).isEqualTo(200);
        assertThat(search("RiskAssessment?_total=accurate&identifier=" + RiskAssessments.HOOK_INSTANCE_SYSTEM + "|" + hookInstance).getTotal())
                .isEqualTo(1);
    }

    @Test
    void withoutPrefetchTheServiceReadsTheEhrsFhirServerWithItsToken() throws Exception {
        ObjectNode request = request(complete, UUID.randomUUID().toString(), null);
        request.put("fhirServer", "http://localhost:" + port + "/fhir");
        request.putObject("fhirAuthorization").put("access_token", KEYCLOAK.token("clinician")).put("token_type", "Bearer")
                .put("expires_in", 300).put("scope", "user/Patient.rs user/Observation.rs user/Condition.rs")
                .put("subject", "cds-service");
        HttpResponse<String> fetched = call(request, DevEhr.jwt(endpoint()));
        assertThat(fetched.statusCode()).as(fetched.body()).isEqualTo(200);
        HttpResponse<String> prefetched = call(request(complete, UUID.randomUUID().toString(), prefetch(complete)),
                DevEhr.jwt(endpoint()));
        assertThat(json(fetched).at("/cards/0/summary").asText()).isEqualTo(json(prefetched).at("/cards/0/summary").asText());
    }

    @Test
    void withoutPrefetchOrFhirAccessTheAnswerIs412() throws Exception {
        HttpResponse<String> response = call(request(complete, UUID.randomUUID().toString(), null), DevEhr.jwt(endpoint()));
        assertThat(response.statusCode()).isEqualTo(412);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void missingAndTooOldValuesAreNamedOnTheCardAndNothingIsGuessed() throws Exception {
        String hookInstance = UUID.randomUUID().toString();
        HttpResponse<String> response = call(request(incomplete, hookInstance, prefetch(incomplete)), DevEhr.jwt(endpoint()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode card = json(response).get("cards").get(0);
        assertThat(card.get("summary").asText()).startsWith("No 5-year risk estimate: no usable value for ").contains("sbp", "bmi")
                .doesNotContain("hdl");
        assertThat(card.get("indicator").asText()).isEqualTo("info");
        assertThat(card.get("detail").asText()).contains("sbp: no value", "bmi: the latest value").doesNotContain("Top contributing");
        assertThat(search("RiskAssessment?_total=accurate&identifier=" + RiskAssessments.HOOK_INSTANCE_SYSTEM + "|" + hookInstance).getTotal())
                .isZero();
    }

    @Test
    void invalidExpiredReplayedAndWrongAudienceJwtsAre401() throws Exception {
        String fresh = DevEhr.jwt(endpoint());
        String[] refused = {
            null,
            fresh.substring(0, fresh.length() - 4) + (fresh.endsWith("AAAA") ? "BBBB" : "AAAA"),
            DevEhr.jwt(DevEhr.claims(endpoint()).issueTime(Date.from(Instant.now().minusSeconds(600)))
                    .expirationTime(Date.from(Instant.now().minusSeconds(300))).build(), DevEhr.kid()),
            DevEhr.jwt("http://localhost:" + port + "/cds-services/another-service"),
        };
        for (String jwt : refused) {
            HttpResponse<String> response = call(request(complete, UUID.randomUUID().toString(), prefetch(complete)), jwt);
            assertThat(response.statusCode()).as(String.valueOf(jwt)).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
        }
        String once = DevEhr.jwt(endpoint());
        assertThat(call(request(complete, UUID.randomUUID().toString(), prefetch(complete)), once).statusCode()).isEqualTo(200);
        assertThat(call(request(complete, UUID.randomUUID().toString(), prefetch(complete)), once).statusCode()).isEqualTo(401);
    }

    @Test
    void feedbackIsStoredAndSummarisedPerModelVersion() throws Exception {
        HttpResponse<String> response = call(request(complete, UUID.randomUUID().toString(), prefetch(complete)),
                DevEhr.jwt(endpoint()));
        JsonNode card = json(response).at("/cards/0");
        String feedback = """
                {"feedback":[{"card":"%s","outcome":"overridden","overrideReason":{"reason":%s,
                  "userComment":"BP re-measured today"},"outcomeTimestamp":"2026-01-01T10:00:00Z"}]}"""
                .formatted(card.get("uuid").asText(), card.at("/overrideReasons/1"));
        HttpResponse<String> sent = post("/cds-services/cvd-risk/feedback", feedback, DevEhr.jwt(endpoint()));
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        assertThat(post("/cds-services/cvd-risk/feedback", feedback.replace(card.get("uuid").asText(),
                UUID.randomUUID().toString()), DevEhr.jwt(endpoint())).statusCode()).isEqualTo(404);
        assertThat(post("/cds-services/cvd-risk/feedback", feedback, null).statusCode()).isEqualTo(401);

        JsonNode summary = json(api.send("researcher", HttpRequest.newBuilder(api.uri("/ml/api/models/cvd-risk/feedback")).GET()));
        assertThat(summary.get(0).get("version").asInt()).isEqualTo(1);
        assertThat(summary.get(0).get("overridden").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(summary.get(0).get("cardsIssued").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(summary.get(0).at("/overrideReasons/0/code").asText()).isEqualTo("already-managed");
        assertThat(api.send("viewer", HttpRequest.newBuilder(api.uri("/ml/api/models/cvd-risk/feedback")).GET()).statusCode())
                .isEqualTo(403);
    }

    // --- issue 13: what a hostile caller tries

    @Test
    void forwardedAndHostHeadersOfAnUntrustedClientMoveNeitherCardLinksNorTheAudienceNorTheAuditedAddress() throws Exception {
        String patient = id(transaction(patient("forged-headers", "1960-01-01", AdministrativeGender.FEMALE)), 0);
        String body = JSON.writeValueAsString(request(patient, UUID.randomUUID().toString(), prefetch(patient)));
        String forged = "https://evil.example/cds-services/cvd-risk";

        String refused = forgedHeaders("127.0.0.1", body, DevEhr.jwt(forged));
        String answered = forgedHeaders("127.0.0.1", body, DevEhr.jwt(endpoint()));

        assertThat(RawHttp.status(refused)).as("a JWT for the forged host").isEqualTo(401);
        assertThat(RawHttp.status(answered)).as(answered).isEqualTo(200);
        JsonNode card = JSON.readTree(RawHttp.body(answered)).at("/cards/0");
        assertThat(card.at("/source/url").asText()).startsWith("http://localhost:" + port + "/ml/api/models/");
        assertThat(card.at("/links/0/url").asText()).isEqualTo("http://localhost:" + port + "/app/");
        AuditEvent audited = awaitAudit("entity-name:exact=Patient/" + patient, event -> clientAgent(event) != null);
        assertThat(clientAgent(audited).getNetwork().getAddress()).isEqualTo("127.0.0.1");
        assertThat(audited.getSource().getObserver().getDisplay()).isEqualTo("http://localhost:" + port);
        assertThat(FHIR.encodeResourceToString(audited)).doesNotContain("evil.example", "203.0.113.66", "198.51.100.1");

        HttpResponse<String> search = api.send("clinician", HttpRequest.newBuilder(api.uri("/fhir/Patient?_count=1"))
                .header("X-Forwarded-Host", "evil.example").header("X-Forwarded-Proto", "https").GET());
        assertThat(FHIR.parseResource(Bundle.class, search.body()).getLink("self").getUrl())
                .startsWith("http://localhost:" + port + "/fhir");
    }

    @Test
    void aConfiguredProxyIsBelievedForTheClientAddressButNeverForTheHost() throws Exception {
        String patient = id(transaction(patient("behind-proxy", "1960-01-01", AdministrativeGender.MALE)), 0);
        String body = JSON.writeValueAsString(request(patient, UUID.randomUUID().toString(), prefetch(patient)));

        assertThat(RawHttp.status(forgedHeaders(PROXY, body, DevEhr.jwt("https://evil.example/cds-services/cvd-risk"))))
                .isEqualTo(401);
        String answered = forgedHeaders(PROXY, body, DevEhr.jwt(endpoint()));

        assertThat(RawHttp.status(answered)).as(answered).isEqualTo(200);
        assertThat(JSON.readTree(RawHttp.body(answered)).at("/cards/0/links/0/url").asText())
                .isEqualTo("http://localhost:" + port + "/app/");
        AuditEvent audited = awaitAudit("entity-name:exact=Patient/" + patient, event -> clientAgent(event) != null);
        assertThat(clientAgent(audited).getNetwork().getAddress()).as("the proxy's X-Forwarded-For").isEqualTo("203.0.113.66");
        assertThat(FHIR.encodeResourceToString(audited)).doesNotContain("evil.example", "198.51.100.1");
    }

    @Test
    void aFhirServerTheClientMayNotNameIsRefusedWithoutAnyConnectionToIt() throws Exception {
        int recorder = FAKE_FHIR.recorderPort();
        List<String> refused = List.of(
                "http://127.0.0.1:" + recorder + "/fhir",
                "http://localhost:" + port + "@127.0.0.1:" + recorder + "/fhir",
                "http://localhost:" + recorder + "/fhir",
                "http://localhost:" + port + "/fhir/../../127.0.0.1:" + recorder,
                "http://localhost:" + port + "/fhirx",
                "http://localhost:" + port + "/fhir?x=http://127.0.0.1:" + recorder,
                FAKE_FHIR.base("slow").replace("/slow/fhir", "/slow"),
                "file:///etc/passwd");
        for (String fhirServer : refused) {
            HttpResponse<String> response = call(withFhirServer(request(complete, UUID.randomUUID().toString(), null),
                    fhirServer), DevEhr.jwt(endpoint()));
            assertThat(response.statusCode()).as(fhirServer).isEqualTo(400);
            assertThat(json(response).get("detail").asText()).as(fhirServer)
                    .isEqualTo("fhirServer is not a FHIR server this client may name "
                            + "(fhir-servers of its entry in medhub.cds.client-files)");
        }
        // Nothing may connect to the recorder, not even a moment after the answers.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1))
                .until(() -> FAKE_FHIR.connections.get() == 0);
        assertThat(FAKE_FHIR.connections).hasValue(0);
    }

    @Test
    void aSlowHugeOrFailingAllowedFhirServerIsCutOffAndAnsweredWithAGeneric412() throws Exception {
        for (String kind : List.of("slow", "huge", "failing")) {
            Instant start = Instant.now();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(api.uri("/cds-services/cvd-risk"))
                    .timeout(Duration.ofSeconds(40)).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + DevEhr.jwt(endpoint()))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(withFhirServer(
                            request(complete, UUID.randomUUID().toString(), null), FAKE_FHIR.base(kind)))))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(kind + ": " + response.body()).isEqualTo(412);
            assertThat(Duration.between(start, Instant.now())).as(kind).isLessThan(Duration.ofSeconds(25));
            assertThat(response.body()).as(kind).doesNotContain("502", INTERNAL_DETAIL_WORD, "Exception", "127.0.0.1");
        }
        assertThat(FAKE_FHIR.hugeBytesSent.get()).as("bytes of the endless body sent before the service hung up")
                .isLessThan(32L * 1024 * 1024);
    }

    @Test
    void aLargeBodyWithABogusTokenIsRefusedBeforeTheServerReadsIt() throws Exception {
        // 32 MiB announced, 16 KiB sent: an answer now means the server did not wait for the rest.
        assertThat(announce("not.a.jwt", 32 * 1024 * 1024, ("{\"prefetch\":\"" + "x".repeat(16 * 1024)).getBytes()))
                .startsWith("HTTP/1.1 401");
    }

    @Test
    void aBodyAboveTheCapWithAValidTokenIs413NamingTheLimit() throws Exception {
        assertThat(announce(DevEhr.jwt(endpoint()), 2 * 1024 * 1024, new byte[0]))
                .as("announced above the cap, answered before any byte").startsWith("HTTP/1.1 413");
        // Chunked, no length announced: cut off one byte past the cap.
        byte[] padded = ("{\"hook\":\"patient-view\",\"pad\":\"" + " ".repeat(1024 * 1024) + "\"}").getBytes();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(api.uri("/cds-services/cvd-risk"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + DevEhr.jwt(endpoint()))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(padded))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response).get("detail").asText())
                .isEqualTo("the request body exceeds medhub.cds.max-request-bytes (1048576 bytes)");
    }

    @Test
    void feedbackIsAuditedWithTheClientTheCardAndTheOutcome() throws Exception {
        JsonNode card = json(call(request(complete, UUID.randomUUID().toString(), prefetch(complete)), DevEhr.jwt(endpoint())))
                .at("/cards/0");
        String uuid = card.get("uuid").asText();
        String feedback = """
                {"feedback":[{"card":"%s","outcome":"overridden","overrideReason":{"reason":%s,
                  "userComment":"Patient Jane Roe says she stopped smoking"},"outcomeTimestamp":"2026-01-02T10:00:00Z"}]}"""
                .formatted(uuid, card.at("/overrideReasons/2"));
        assertThat(post("/cds-services/cvd-risk/feedback", feedback, DevEhr.jwt(endpoint())).statusCode()).isEqualTo(200);

        AuditEvent audited = awaitAudit("entity-name:exact=card " + uuid, event -> true);
        assertThat(audited.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        assertThat(audited.getAction()).isEqualTo(AuditEvent.AuditEventAction.C);
        assertThat(clientAgent(audited).getWho().getIdentifier().getValue()).isEqualTo(DevEhr.ISSUER);
        AuditEvent.AuditEventEntityComponent entity = audited.getEntity().stream()
                .filter(e -> ("card " + uuid).equals(e.getName())).findFirst().orElseThrow();
        assertThat(entity.getWhat().getIdentifier().getValue()).isEqualTo(uuid);
        assertThat(entity.getDescription()).isEqualTo("overridden (disagree), with a comment");
        assertThat(FHIR.encodeResourceToString(audited)).doesNotContain("Jane Roe");
    }

    private static final String INTERNAL_DETAIL_WORD = "db01.internal";

    /** The status line answered to a call announcing {@code length} bytes of body of which only {@code first} are sent. */
    private String announce(String jwt, long length, byte[] first) throws Exception {
        try (RawHttp raw = new RawHttp("127.0.0.1", port, Duration.ofSeconds(10))) {
            return raw.send("""
                    POST /cds-services/cvd-risk HTTP/1.1
                    Host: localhost:%d
                    Authorization: Bearer %s
                    Content-Type: application/json
                    Content-Length: %d""".formatted(port, jwt, length), first).statusLine();
        }
    }

    /** A service call from {@code localAddress} whose Host and forwarded headers name another server. */
    private String forgedHeaders(String localAddress, String body, String jwt) throws Exception {
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (RawHttp raw = new RawHttp(localAddress, port, Duration.ofSeconds(30))) {
            return raw.send("""
                    POST /cds-services/cvd-risk HTTP/1.0
                    Host: evil.example
                    X-Forwarded-Host: evil.example
                    X-Forwarded-Proto: https
                    X-Forwarded-Port: 443
                    Forwarded: for=198.51.100.1;host=evil.example;proto=https
                    X-Forwarded-For: 203.0.113.66
                    Authorization: Bearer %s
                    Content-Type: application/json
                    Content-Length: %d""".formatted(jwt, bytes.length), bytes).all();
        }
    }

    private ObjectNode withFhirServer(ObjectNode request, String fhirServer) {
        request.put("fhirServer", fhirServer);
        request.putObject("fhirAuthorization").put("access_token", "token-for-the-ehr-fhir-server").put("token_type", "Bearer")
                .put("expires_in", 300).put("scope", "user/Patient.rs").put("subject", "cds-service");
        return request;
    }

    /** The first AuditEvent of the search that satisfies {@code test}, waiting for the audit outbox to publish it. */
    private AuditEvent awaitAudit(String search, java.util.function.Predicate<AuditEvent> test) {
        return await("an AuditEvent for " + search).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    HttpResponse<String> found = api.send("admin", HttpRequest.newBuilder(
                            api.uri("/fhir/AuditEvent?" + search.replace(" ", "%20"))).header("Cache-Control", "no-cache").GET());
                    assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
                    return FHIR.parseResource(Bundle.class, found.body()).getEntry().stream()
                            .map(e -> (AuditEvent) e.getResource()).filter(test).findFirst();
                }, java.util.Optional::isPresent).get();
    }

    /** The agent of the CDS client (the dev EHR), or null. */
    private static AuditEvent.AuditEventAgentComponent clientAgent(AuditEvent event) {
        return event.getAgent().stream().filter(a -> DevEhr.ISSUER.equals(a.getWho().getIdentifier().getValue()))
                .findFirst().orElse(null);
    }

    // --- the EHR side

    private String endpoint() {
        return "http://localhost:" + port + "/cds-services/cvd-risk";
    }

    private ObjectNode request(String patientId, String hookInstance, ObjectNode prefetch) {
        ObjectNode request = JSON.createObjectNode();
        request.put("hookInstance", hookInstance);
        request.put("hook", "patient-view");
        request.putObject("context").put("userId", "Practitioner/example").put("patientId", patientId);
        if (prefetch != null) {
            request.set("prefetch", prefetch);
        }
        return request;
    }

    /** What an EHR would prefetch: each template of the discovery document, read from /fhir. */
    private ObjectNode prefetch(String patientId) throws Exception {
        JsonNode templates = json(http.send(HttpRequest.newBuilder(api.uri("/cds-services")).GET().build(),
                HttpResponse.BodyHandlers.ofString())).at("/services/0/prefetch");
        ObjectNode prefetch = JSON.createObjectNode();
        for (var it = templates.fields(); it.hasNext(); ) {
            var template = it.next();
            String query = template.getValue().asText().replace("{{context.patientId}}", patientId).replace("|", "%7C");
            prefetch.set(template.getKey(), json(api.send("clinician", HttpRequest.newBuilder(api.uri("/fhir/" + query)).GET())));
        }
        return prefetch;
    }

    private HttpResponse<String> call(ObjectNode request, String jwt) throws Exception {
        return post("/cds-services/cvd-risk", JSON.writeValueAsString(request), jwt);
    }

    private HttpResponse<String> post(String path, String body, String jwt) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(api.uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (jwt != null) {
            builder.header("Authorization", "Bearer " + jwt);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    // --- FHIR data

    /** The RiskAssessment of a call, as an R4 client reads it. */
    private RiskAssessment riskAssessmentOf(String patientId, String hookInstance) {
        Bundle found = r4Client("clinician").search().forResource(RiskAssessment.class)
                .where(RiskAssessment.SUBJECT.hasId("Patient/" + patientId))
                .and(RiskAssessment.IDENTIFIER.exactly().systemAndCode(RiskAssessments.HOOK_INSTANCE_SYSTEM, hookInstance))
                .returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).hasSize(1);
        return (RiskAssessment) found.getEntryFirstRep().getResource();
    }

    /**
     * The ML engine's own probability (a fraction, 0..1) for the values the RiskAssessment says the
     * model was given, from {@code /ml/api}: what the stored percentage must be 100 times.
     */
    private double mlProbabilityFraction(RiskAssessment risk) throws Exception {
        ObjectNode features = JSON.createObjectNode();
        for (org.hl7.fhir.r4.model.Extension contribution
                : risk.getExtensionByUrl(RiskAssessments.EXPLANATION).getExtensionsByUrl("contribution")) {
            String feature = contribution.getExtensionByUrl("feature").getValue().primitiveValue();
            org.hl7.fhir.r4.model.Extension value = contribution.getExtensionByUrl("value");
            if (value == null) {
                features.putNull(feature);
            } else if (value.getValue().primitiveValue().matches("-?[0-9.]+")) {
                features.put(feature, new BigDecimal(value.getValue().primitiveValue()));
            } else {
                features.put(feature, value.getValue().primitiveValue());
            }
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("features", features);
        HttpResponse<String> predicted = api.send("clinician", HttpRequest.newBuilder(api.uri("/ml/api/models/cvd-risk/predict"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
        return json(predicted).get("probability").asDouble();
    }

    private IGenericClient r4Client(String user) {
        FhirContext r4 = FhirContext.forR4Cached();
        r4.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        IGenericClient client = r4.newRestfulGenericClient("http://localhost:" + port + "/fhir");
        client.registerInterceptor(new BearerTokenAuthInterceptor(KEYCLOAK.token(user)));
        return client;
    }

    private Bundle search(String query) throws Exception {
        HttpResponse<String> response = api.send("clinician", HttpRequest.newBuilder(api.uri("/fhir/" + query.replace("|", "%7C"))).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return FHIR.parseResource(Bundle.class, response.body());
    }

    private Bundle transaction(Resource... resources) throws Exception {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        String patient = "urn:uuid:" + UUID.randomUUID();
        for (Resource resource : resources) {
            if (resource instanceof Observation o) {
                o.setSubject(new Reference(patient));
            } else if (resource instanceof Condition c) {
                c.setSubject(new Reference(patient));
            }
            bundle.addEntry().setFullUrl(resource instanceof Patient ? patient : "urn:uuid:" + UUID.randomUUID())
                    .setResource(resource).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(resource.fhirType());
        }
        HttpResponse<String> response = api.send("clinician", HttpRequest.newBuilder(api.uri("/fhir"))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(FHIR.encodeResourceToString(bundle))));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return FHIR.parseResource(Bundle.class, response.body());
    }

    private static String ref(Bundle response, int entry) {
        return new org.hl7.fhir.r4.model.IdType(response.getEntry().get(entry).getResponse().getLocation())
                .toUnqualifiedVersionless().getValue();
    }

    private static String id(Bundle response, int entry) {
        return ref(response, entry).substring("Patient/".length());
    }

    private static Patient patient(String family, String birthDate, AdministrativeGender gender) {
        Patient patient = new Patient();
        patient.addName().setFamily(family).addGiven("Test");
        patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType(birthDate));
        patient.setGender(gender);
        return patient;
    }

    private static Observation observation(String code, LocalDate when) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.setCode(new CodeableConcept(new Coding(LOINC, code, null)));
        observation.setEffective(new DateTimeType(when.toString()));
        return observation;
    }

    private static Observation quantity(String code, double value, String unit, LocalDate when) {
        Observation observation = observation(code, when);
        observation.setValue(new Quantity().setValue(value).setUnit(unit));
        return observation;
    }

    /** A blood pressure panel: the systolic value is a component, as Synthea and most EHRs record it. */
    private static Observation bloodPressure(double systolic, LocalDate when) {
        Observation panel = observation("85354-9", when);
        panel.addComponent().setCode(new CodeableConcept(new Coding(LOINC, "8480-6", null)))
                .setValue(new Quantity().setValue(systolic).setUnit("mm[Hg]"));
        panel.addComponent().setCode(new CodeableConcept(new Coding(LOINC, "8462-4", null)))
                .setValue(new Quantity().setValue(90).setUnit("mm[Hg]"));
        return panel;
    }

    private static Observation smoking(String snomed, LocalDate when) {
        Observation observation = observation("72166-2", when);
        observation.setValue(new CodeableConcept(new Coding(SNOMED, snomed, null)));
        return observation;
    }

    private static Condition condition(String snomed, String onset) {
        Condition condition = new Condition();
        condition.setCode(new CodeableConcept(new Coding(SNOMED, snomed, null)));
        condition.setOnset(new DateTimeType(onset));
        return condition;
    }

}
