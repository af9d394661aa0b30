package org.medhub.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medhub.fhir.FhirHttp.json;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.util.ResourceCountCache;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
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
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
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
            "medhub.security.clock-skew=0s",
            "medhub.fhir.max-request-bytes=" + FhirSecurityIT.MAX_REQUEST_BYTES
        })
@TestInstance(Lifecycle.PER_CLASS)
class FhirSecurityIT {

    static final int MAX_REQUEST_BYTES = 262_144;
    private static final KeycloakTestServer KEYCLOAK = KeycloakTestServer.shared();

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("myResourceCountsCache")
    ResourceCountCache resourceCounts;

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
    void smartScopesThatDoNotParseGrantNothingInsteadOfTheRolesFullAccess() {
        // A v2 scope narrowed by a query (not enforced, so it grants nothing), v2 letters out of
        // order, and an unknown permission: each alone must not leave the role's full access.
        for (String scope : List.of("user/Observation.rs?category=laboratory", "user/Observation.sr",
                "user/Patient.everything")) {
            FhirHttp http = admin.as(KEYCLOAK.smartToken("clinician", null, scope));
            assertThat(http.get("Patient/" + patientId).statusCode()).as(scope).isEqualTo(403);
            assertThat(http.get("Observation/" + observationId).statusCode()).as(scope).isEqualTo(403);
            assertThat(http.get("Observation?subject=Patient/" + patientId).statusCode()).as(scope).isEqualTo(403);
        }
        FhirHttp adminWithQueryScope = admin.as(KEYCLOAK.smartToken("admin", null, "user/Patient.rs?gender=female"));
        assertThat(adminWithQueryScope.get("Patient/" + patientId).statusCode()).isEqualTo(403);
        assertThat(adminWithQueryScope.get("AuditEvent").statusCode()).isEqualTo(403);
    }

    @Test
    void aScopeThatParsesStillWorksNextToOneThatDoesNot() {
        FhirHttp http = admin.as(KEYCLOAK.smartToken("clinician", null, "user/Observation.rs", "user/Patient.rs?gender=male"));

        assertThat(http.get("Observation/" + observationId).statusCode()).isEqualTo(200);
        assertThat(http.get("Patient/" + patientId).statusCode()).isEqualTo(403);
    }

    @Test
    void patientScopesConfineATokenToTheLaunchPatientsCompartment() {
        String family = "Other" + UUID.randomUUID().toString().substring(0, 6);
        Patient otherPatient = new Patient();
        otherPatient.addName().setFamily(family);
        String other = created(admin.post("Patient", json(otherPatient)));
        String othersObservation = created(admin.post("Observation", json(observation(other))));
        String mine = created(admin.post("Patient", json(patient("Launch"))));
        String myObservation = created(admin.post("Observation", json(observation(mine))));
        Observation panel = observation(mine);
        panel.addHasMember(new Reference("Observation/" + othersObservation));
        String myPanel = created(admin.post("Observation", json(panel)));
        FhirHttp app = admin.as(KEYCLOAK.smartToken("clinician", mine, "patient/*.rs", "patient/Observation.cruds"));

        Map<String, Integer> expected = new LinkedHashMap<>();
        Map<String, Integer> actual = new LinkedHashMap<>();
        Map<String, Function<FhirHttp, HttpResponse<String>>> own = new LinkedHashMap<>();
        own.put("read own patient", http -> http.get("Patient/" + mine));
        own.put("read own observation", http -> http.get("Observation/" + myObservation));
        own.put("search own observations", http -> http.get("Observation?subject=Patient/" + mine));
        own.put("create own observation", http -> http.post("Observation", json(observation(mine))));
        own.forEach((name, call) -> {
            expected.put(name, name.startsWith("create") ? 201 : 200);
            actual.put(name, call.apply(app).statusCode());
        });
        Map<String, Function<FhirHttp, HttpResponse<String>>> others = new LinkedHashMap<>();
        others.put("read other patient", http -> http.get("Patient/" + other));
        others.put("read other observation", http -> http.get("Observation/" + othersObservation));
        others.put("search other observations", http -> http.get("Observation?subject=Patient/" + other));
        others.put("search every patient", http -> http.get("Patient", "Cache-Control", "no-cache"));
        others.put("search every observation", http -> http.get("Observation", "Cache-Control", "no-cache"));
        others.put("_include other observation",
                http -> http.get("Observation?_id=" + myPanel + "&_include=Observation:has-member"));
        others.put("_revinclude other observation",
                http -> http.get("Patient?_id=" + other + "&_revinclude=Observation:subject"));
        others.put("history of other observation", http -> http.get("Observation/" + othersObservation + "/_history"));
        others.put("type history", http -> http.get("Observation/_history"));
        others.put("server history", http -> http.get("_history"));
        others.put("$everything of other", http -> http.get("Patient/" + other + "/$everything"));
        others.put("create other observation", http -> http.post("Observation", json(observation(other))));
        others.put("update other observation", http -> {
            Observation changed = observation(other);
            changed.setId(othersObservation);
            return http.put("Observation/" + othersObservation, json(changed));
        });
        others.put("batch read of other", http -> http.post("", batch(Bundle.BundleType.BATCH,
                Bundle.HTTPVerb.GET, "Patient/" + other, null)));
        others.put("transaction write for other", http -> http.post("", batch(Bundle.BundleType.TRANSACTION,
                Bundle.HTTPVerb.POST, "Observation", observation(other))));
        Map<String, String> outcomes = new LinkedHashMap<>();
        others.forEach((name, call) -> {
            HttpResponse<String> response = call.apply(app);
            boolean leaked = response.body().contains(family)
                    || response.body().contains("\"id\":\"" + othersObservation + "\"");
            outcomes.put(name, response.statusCode() == 403 ? "refused"
                    : response.statusCode() == 200 && !leaked ? "nothing shown"
                    : "answered " + response.statusCode() + (leaked ? " with the other patient's data" : ""));
        });

        assertThat(actual).isEqualTo(expected);
        assertThat(outcomes.values()).as(outcomes.toString())
                .allMatch(outcome -> outcome.equals("refused") || outcome.equals("nothing shown"));
        assertThat(outcomes).as("writes for another patient").containsEntry("create other observation", "refused")
                .containsEntry("update other observation", "refused")
                .containsEntry("transaction write for other", "refused");
        assertThat(admin.as(KEYCLOAK.smartToken("clinician", null, "patient/*.rs")).get("Patient/" + mine).statusCode())
                .as("patient scopes without a patient claim").isEqualTo(403);
    }

    @Test
    void aCallerWhoMayNotCreateIsRefusedBeforeTheBodyIsRead() {
        // Only the head and the first kilobyte of a body announced as 900 kB go out: an answer that
        // arrives while the rest is unsent proves the server did not wait to read it.
        for (String user : List.of("viewer", "researcher")) {
            FhirHttp http = admin.as(KEYCLOAK.token(user));
            assertThat(http.statusBeforeBodyIsSent("POST", "Patient", 900_000, 1024)).as(user).isEqualTo(403);
            assertThat(http.statusBeforeBodyIsSent("PUT", "Patient/" + patientId, 900_000, 1024)).as(user).isEqualTo(403);
        }
        FhirHttp researcher = admin.as(KEYCLOAK.token("researcher"));
        assertThat(researcher.statusBeforeBodyIsSent("POST", "", 900_000, 1024)).as("researcher's batch").isEqualTo(403);
    }

    @Test
    void aBodyOverTheCapIsRefusedWith413NamingTheLimit() {
        FhirHttp clinician = admin.as(KEYCLOAK.token("clinician"));
        Patient patient = patient("Large");
        String large = json(patient.addIdentifier(new Identifier().setSystem("urn:test").setValue("x".repeat(MAX_REQUEST_BYTES))));

        assertThat(clinician.statusBeforeBodyIsSent("POST", "Patient", MAX_REQUEST_BYTES + 1, 1024)).isEqualTo(413);
        HttpResponse<String> announced = clinician.post("Patient", large);
        HttpResponse<String> chunked = clinician.method("POST", "Patient", BodyPublishers
                .ofInputStream(() -> new ByteArrayInputStream(large.getBytes(StandardCharsets.UTF_8))),
                "Content-Type", FhirHttp.FHIR_JSON);
        for (HttpResponse<String> response : List.of(announced, chunked)) {
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(response.body()).contains("OperationOutcome", "medhub.fhir.max-request-bytes",
                    String.valueOf(MAX_REQUEST_BYTES));
        }
        assertThat(admin.count("Patient?family=" + patient.getNameFirstRep().getFamily())).as("nothing stored").isZero();
    }

    @Test
    void theCapabilityStatementShowsNoResourceCounts() {
        // HAPI fills its count cache every 10 minutes; fill it now, as a server running for a while has.
        resourceCounts.update();
        HttpResponse<String> metadata = new FhirHttp(port).get("metadata", "Cache-Control", "no-cache");

        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(metadata.body()).contains("\"type\":\"Patient\"").doesNotContain("resourceCount");
    }

    @Test
    void pagesAndApiAnswersCarryTheBrowserSecurityHeaders() {
        FhirHttp anonymous = new FhirHttp(port);
        Map<String, HttpResponse<String>> responses = new LinkedHashMap<>();
        responses.put("metadata", anonymous.get("metadata"));
        responses.put("401", anonymous.get("Patient/" + patientId));
        responses.put("403 from HAPI", admin.as(KEYCLOAK.token("researcher")).get("Patient/" + patientId));
        responses.put("404", admin.get("Patient/no-such-patient"));

        responses.forEach((name, response) -> {
            var headers = response.headers();
            assertThat(headers.firstValue("Content-Security-Policy")).as(name).hasValueSatisfying(csp ->
                    assertThat(csp).contains("default-src 'self'", "frame-ancestors 'self'", "object-src 'none'")
                            .doesNotContain("unsafe-eval"));
            assertThat(headers.firstValue("X-Content-Type-Options")).as(name).hasValue("nosniff");
            assertThat(headers.firstValue("X-Frame-Options")).as(name).hasValue("SAMEORIGIN");
            assertThat(headers.firstValue("Referrer-Policy")).as(name).hasValue("strict-origin-when-cross-origin");
        });
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

    /** A batch or transaction of one entry. */
    private static String batch(Bundle.BundleType type, Bundle.HTTPVerb verb, String url, Observation resource) {
        Bundle bundle = new Bundle().setType(type);
        Bundle.BundleEntryComponent entry = bundle.addEntry();
        entry.getRequest().setMethod(verb).setUrl(url);
        if (resource != null) {
            entry.setResource(resource).setFullUrl("urn:uuid:" + UUID.randomUUID());
        }
        return json(bundle);
    }

    private static Observation observation(String patientId) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().addCoding().setSystem("http://loinc.org").setCode("8480-6");
        observation.setSubject(new Reference("Patient/" + patientId));
        return observation;
    }
}
