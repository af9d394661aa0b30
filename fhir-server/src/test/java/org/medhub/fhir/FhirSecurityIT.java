package org.medhub.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medhub.fhir.FhirHttp.json;

import ca.uhn.fhir.context.FhirContext;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medhub.fhir.standalone.FhirServerApplication;
import org.medhub.platform.testing.KeycloakExtension;
import org.medhub.platform.testing.KeycloakTestServer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Who may do what on {@code /fhir}, with real tokens from the Keycloak distribution: each role
 * against each kind of interaction, broken tokens, and SMART scopes narrowing a token.
 */
@ExtendWith(KeycloakExtension.class)
@SpringBootTest(
        classes = FhirServerApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "medhub.database.data-directory=target/it-postgres/security-${random.uuid}",
            "medhub.security.clock-skew=0s"
        })
@TestInstance(Lifecycle.PER_CLASS)
class FhirSecurityIT {

    private static final KeycloakTestServer KEYCLOAK = KeycloakTestServer.shared();

    @LocalServerPort
    int port;

    FhirHttp admin;
    String patientId;
    String observationId;

    @BeforeAll
    void seed() {
        admin = new FhirHttp(port, FhirHttp.tokensOf("admin"));
        patientId = created(admin.post("Patient", json(patient("Seed"))));
        observationId = created(admin.post("Observation", json(observation(patientId))));
    }

    /** Each interaction, run with a given client, answers with a status code. */
    private Map<String, Function<FhirHttp, Integer>> interactions() {
        Map<String, Function<FhirHttp, Integer>> interactions = new LinkedHashMap<>();
        interactions.put("read", http -> http.get("Patient/" + patientId).statusCode());
        interactions.put("search", http -> http.get("Observation?subject=Patient/" + patientId).statusCode());
        interactions.put("create", http -> http.post("Patient", json(patient("Created"))).statusCode());
        interactions.put("update", http -> {
            Patient patient = patient("Updated");
            patient.setId(patientId);
            return http.put("Patient/" + patientId, json(patient)).statusCode();
        });
        interactions.put("delete", http -> {
            String victim = created(admin.post("Patient", json(patient("Victim"))));
            return http.delete("Patient/" + victim).statusCode();
        });
        interactions.put("export", http -> http.get("$export?_type=Patient", "Prefer", "respond-async").statusCode());
        interactions.put("audit", http -> http.get("AuditEvent").statusCode());
        return interactions;
    }

    @Test
    void eachRoleGetsExactlyThePermissionsOfTheSecurityModel() {
        Map<String, Map<String, Integer>> expected = new LinkedHashMap<>();
        expected.put("admin", statuses(200, 200, 201, 200, 200, 202, 200));
        expected.put("clinician", statuses(200, 200, 201, 200, 403, 403, 403));
        expected.put("viewer", statuses(200, 200, 403, 403, 403, 403, 403));
        expected.put("researcher", statuses(403, 403, 403, 403, 403, 403, 403));
        expected.put("anonymous", statuses(401, 401, 401, 401, 401, 401, 401));

        Map<String, Map<String, Integer>> actual = new LinkedHashMap<>();
        for (String user : expected.keySet()) {
            FhirHttp http = user.equals("anonymous") ? new FhirHttp(port) : admin.as(KEYCLOAK.token(user));
            Map<String, Integer> row = new LinkedHashMap<>();
            interactions().forEach((name, interaction) -> row.put(name, interaction.apply(http)));
            actual.put(user, row);
        }

        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void readersPageThroughSearchesButStillCannotReadAuditEvents() {
        for (int i = 0; i < 3; i++) {
            admin.post("Patient", json(patient("Paged")));
        }
        FhirHttp viewer = admin.as(KEYCLOAK.token("viewer"));
        HttpResponse<String> first = viewer.get("Patient?family=Paged&_count=1");
        assertThat(first.statusCode()).isEqualTo(200);
        String next = FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class, first.body())
                .getLink("next").getUrl();
        HttpResponse<String> second = viewer.get(next);
        assertThat(second.statusCode()).as("the next page (hapi-fhir#3866)").isEqualTo(200);
        assertThat(second.body()).contains("\"resourceType\":\"Patient\"");

        assertThat(viewer.get("AuditEvent?entity-name:exact=Patient/" + patientId).statusCode()).isEqualTo(403);
        assertThat(admin.get("AuditEvent?entity-name:exact=Patient/" + patientId).statusCode()).isEqualTo(200);
        assertThat(viewer.get("AuditEvent/any-id").statusCode()).isEqualTo(403);
    }

    @Test
    void refusalsCarryWwwAuthenticateAndAnOperationOutcome() {
        HttpResponse<String> anonymous = new FhirHttp(port).get("Patient/" + patientId);
        HttpResponse<String> researcher = admin.as(KEYCLOAK.token("researcher")).get("Patient/" + patientId);

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(anonymous.body()).contains("OperationOutcome");
        assertThat(researcher.statusCode()).isEqualTo(403);
        assertThat(researcher.body()).contains("OperationOutcome").doesNotContain("Seed");
    }

    @Test
    void brokenTokensAreAllRejectedWith401() {
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("tampered signature", KEYCLOAK.tamperedToken("viewer"));
        tokens.put("expired", KEYCLOAK.expiredToken("clinician"));
        tokens.put("wrong issuer", KEYCLOAK.tokenFromOtherIssuer());
        tokens.put("wrong audience", KEYCLOAK.tokenWithoutAudience("clinician"));
        tokens.put("not a JWT", "not-a-token");

        tokens.forEach((kind, token) -> {
            HttpResponse<String> response = admin.as(token).get("Patient/" + patientId);
            assertThat(response.statusCode()).as(kind).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).as(kind)
                    .hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
        });
    }

    @Test
    void smartScopesNarrowATokenToTheTypesAndInteractionsTheyName() {
        FhirHttp observationsOnly = admin.as(KEYCLOAK.token("clinician", "user/Observation.rs"));

        assertThat(observationsOnly.get("Observation/" + observationId).statusCode()).isEqualTo(200);
        assertThat(observationsOnly.get("Observation?subject=Patient/" + patientId).statusCode()).isEqualTo(200);
        assertThat(observationsOnly.get("Patient/" + patientId).statusCode()).isEqualTo(403);
        assertThat(observationsOnly.get("Patient").statusCode()).isEqualTo(403);
        assertThat(observationsOnly.post("Observation", json(observation(patientId))).statusCode()).isEqualTo(403);
    }

    @Test
    void scopesNeverWidenWhatTheRoleAllows() {
        FhirHttp viewerAskingForWrites = admin.as(KEYCLOAK.token("viewer", "user/*.cruds"));

        assertThat(viewerAskingForWrites.get("Patient/" + patientId).statusCode()).isEqualTo(200);
        assertThat(viewerAskingForWrites.post("Patient", json(patient("Sneaky"))).statusCode()).isEqualTo(403);
    }

    @Test
    void patientScopesWithoutALaunchPatientGrantNothing() {
        FhirHttp patientScoped = admin.as(KEYCLOAK.token("clinician", "patient/Observation.rs"));

        assertThat(patientScoped.get("Observation/" + observationId).statusCode()).isEqualTo(403);
    }

    @Test
    void discoveryDocumentsArePublicAndTellTheTruth() throws Exception {
        FhirHttp anonymous = new FhirHttp(port);
        HttpResponse<String> metadata = anonymous.get("metadata");
        HttpResponse<String> smart = anonymous.get(".well-known/smart-configuration", "Accept", "application/json");

        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(metadata.body()).contains("SMART-on-FHIR");
        assertThat(smart.statusCode()).isEqualTo(200);
        var document = new com.fasterxml.jackson.databind.ObjectMapper().readTree(smart.body());
        assertThat(document.get("issuer").asText()).isEqualTo(KEYCLOAK.issuer());
        assertThat(document.get("token_endpoint").asText()).startsWith(KEYCLOAK.issuer());
        assertThat(document.get("authorization_endpoint").asText()).startsWith(KEYCLOAK.issuer());
        assertThat(document.get("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
        assertThat(document.get("capabilities").toString()).contains("permission-v2", "launch-standalone")
                .doesNotContain("launch-ehr", "context-ehr-patient");
    }

    @Test
    void actuatorHealthIsPublicButMetricsNeedAnAdmin() {
        FhirHttp anonymous = new FhirHttp(port);
        assertThat(anonymous.get("/actuator/health", "Accept", "application/json").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/prometheus", "Accept", "text/plain").statusCode()).isEqualTo(401);
        assertThat(admin.as(KEYCLOAK.token("viewer")).get("/actuator/prometheus", "Accept", "text/plain").statusCode())
                .isEqualTo(403);
    }

    private static Map<String, Integer> statuses(int read, int search, int create, int update, int delete, int export,
            int audit) {
        Map<String, Integer> row = new LinkedHashMap<>();
        row.put("read", read);
        row.put("search", search);
        row.put("create", create);
        row.put("update", update);
        row.put("delete", delete);
        row.put("export", export);
        row.put("audit", audit);
        return row;
    }

    private static String created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return response.headers().firstValue("Location").orElseThrow().replaceAll(".*/([^/]+)/_history/.*", "$1");
    }

    private static Patient patient(String family) {
        Patient patient = new Patient();
        patient.addName().setFamily(family + UUID.randomUUID().toString().substring(0, 6));
        return patient;
    }

    private static Observation observation(String patientId) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().addCoding().setSystem("http://loinc.org").setCode("8480-6");
        observation.setSubject(new Reference("Patient/" + patientId));
        return observation;
    }
}
