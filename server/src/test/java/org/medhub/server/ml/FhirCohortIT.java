package org.medhub.server.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medhub.platform.testing.ApiClient.json;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medhub.server.MedHubApplication;
import org.medhub.platform.database.SchemaDataSources;
import org.medhub.platform.testing.ApiClient;
import org.medhub.platform.testing.KeycloakExtension;
import org.medhub.platform.testing.SyntheaCohort;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A Synthea cohort loaded into the real FHIR server, pulled by a researcher into a dataset through
 * {@code /ml/api/datasets/fhir} (the ML engine reads FHIR with its own service account, since the
 * researcher may not), trained on, and predicted with by a clinician; bad specs, roles and the audit
 * record of the pull.
 */
@ExtendWith(KeycloakExtension.class)
@SpringBootTest(
        classes = MedHubApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"medhub.fhir.enabled=true", "medhub.ml.worker-threads=2",
            "medhub.database.data-directory=target/it-postgres/cohort-${random.uuid}",
            "medhub.data-directory=target/it-data/cohort-${random.uuid}"})
@TestInstance(Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FhirCohortIT {

    private static final int PATIENTS = 30;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FhirContext FHIR = FhirContext.forR4Cached();
    /** The blood pressure panel (systolic 8480-6 is one of its components) and BMI. */
    private static final List<String> OBSERVED = List.of("85354-9", "39156-5");
    /** Cardiometabolic conditions by the end of a year: common enough in 30 Synthea patients for both classes. */
    private static final String SPEC = """
            name: cardiometabolic
            minAge: 18
            label:
              name: cardiometabolic
              horizonYears: 1
              excludePrevalent: false
              condition: {system: http://snomed.info/sct, codes: ["59621000", "15777000", "44054006"]}
            features:
              - {name: age, patient: age}
              - {name: sex, patient: sex}
              - {name: sbp, observation: {system: http://loinc.org, codes: ["8480-6"]}}
              - {name: bmi, observation: {system: http://loinc.org, codes: ["39156-5"]}}
            subgroups:
              - {feature: sex}
            training:
              algorithms: [LOGISTIC_REGRESSION, XGBOOST]
              folds: 2
              grids:
                LOGISTIC_REGRESSION: {learningRate: [0.5], epochs: [20]}
                XGBOOST: {trees: [10], eta: [0.3], maxDepth: [2]}
            """;

    @LocalServerPort
    int port;

    @Autowired
    SchemaDataSources dataSources;

    ApiClient api;
    final List<String> patientIdentifiers = new ArrayList<>();
    JsonNode pulled;

    @BeforeAll
    void loadCohortIntoFhir() throws Exception {
        api = ApiClient.onPort(port);
        for (Path bundle : SyntheaCohort.generate(PATIENTS, 2031, 3).bundlesInLoadOrder()) {
            String name = bundle.getFileName().toString();
            if (name.startsWith("hospitalInformation") || name.startsWith("practitionerInformation")) {
                continue;
            }
            HttpResponse<String> response = api.send("admin", HttpRequest.newBuilder(api.uri("/fhir"))
                    .header("Content-Type", "application/fhir+json")
                    .POST(HttpRequest.BodyPublishers.ofString(cohortPart(bundle))));
            assertThat(response.statusCode()).as("%s: %.300s", name, response.body()).isEqualTo(200);
        }
        JsonNode patients = json(api.get("admin", "/fhir/Patient?_count=100"));
        for (JsonNode entry : patients.path("entry")) {
            // Server ids are small numbers that can occur as values; Synthea's identifiers are UUIDs.
            patientIdentifiers.add(entry.at("/resource/identifier/0/value").asText());
            patientIdentifiers.add(entry.at("/resource/name/0/family").asText());
        }
        assertThat(patientIdentifiers).hasSize(2 * PATIENTS);
    }

    /**
     * The part of a Synthea patient bundle a cohort reads: the Patient, its Conditions and the
     * Observations of the spec's codes, without their links to encounters. (Whole bundles are tens of
     * thousands of resources, which take many minutes to load on a busy build machine.)
     */
    private static String cohortPart(Path file) throws Exception {
        Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, Files.readString(file));
        bundle.getEntry().removeIf(entry -> !switch (entry.getResource()) {
            case Patient p -> {
                // Its practitioner and organization are in bundles this cohort does not load.
                p.getGeneralPractitioner().clear();
                p.setManagingOrganization(null);
                yield true;
            }
            case Condition c -> {
                c.setEncounter(null);
                yield true;
            }
            case Observation o -> {
                o.setEncounter(null);
                o.getHasMember().clear();
                yield OBSERVED.contains(o.getCode().getCodingFirstRep().getCode());
            }
            default -> false;
        });
        return FHIR.newJsonParser().encodeResourceToString(bundle);
    }

    @Test
    @Order(1)
    void aResearcherPullsTheCohortAsAJobIntoADatasetWithoutIdentifiers() throws Exception {
        HttpResponse<String> started = postSpec("researcher", SPEC);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        assertThat(started.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).startsWith("/ml/api/datasets/fhir/"));

        pulled = api.awaitFinished("researcher", "/ml/api/datasets/fhir/" + json(started).get("id").asText(), Duration.ofMinutes(5));
        assertThat(pulled.get("status").asText()).as(pulled.toString()).isEqualTo("SUCCEEDED");
        assertThat(pulled.get("percent").asInt()).isEqualTo(100);
        // The researcher's view rounds counts and withholds small ones (medhub.ml.min-cell-size); an admin's is exact.
        JsonNode exact = json(api.get("admin", "/ml/api/datasets/fhir/" + json(started).get("id").asText()));
        assertThat(exact.get("patientsRead").asInt()).isEqualTo(PATIENTS);
        int rows = exact.get("rows").asInt();
        assertThat(rows).isBetween(10, PATIENTS);
        int positives = exact.get("positives").asInt();
        assertThat(positives).isBetween(1, rows - 1);
        assertThat(pulled.get("patientsRead").asInt()).isEqualTo(PATIENTS);
        assertThat(pulled.get("positives").isNull() || pulled.get("positives").asInt() % 5 == 0)
                .as(pulled.toString()).isTrue();
        if (positives < 10 || rows - positives < 10) {
            assertThat(pulled.get("positives").isNull()).as("a small cell").isTrue();
        }

        String datasetId = pulled.get("datasetId").asText();
        JsonNode dataset = json(api.get("researcher", "/ml/api/datasets/" + datasetId));
        assertThat(dataset.get("columns").findValuesAsText("name")).containsExactly("age", "sex", "sbp", "bmi");
        assertThat(dataset.get("positiveClass").asText()).isEqualTo("yes");
        String table = storedTable(datasetId);
        assertThat(table).startsWith("age,sex,sbp,bmi,cardiometabolic\n");
        assertThat(patientIdentifiers).allSatisfy(id -> assertThat(table).doesNotContain(id));
    }

    @Test
    @Order(2)
    void theDatasetTrainsAModelAClinicianPredictsWith() throws Exception {
        JsonNode body = pulled.get("trainingRun");
        assertThat(body.get("modelName").asText()).isEqualTo("cardiometabolic");
        // Started by the admin: the first version of a name serves at once only when an admin registers it.
        HttpResponse<String> started = api.send("admin", HttpRequest.newBuilder(api.uri("/ml/api/training-runs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode run = api.awaitFinished("researcher", "/ml/api/training-runs/" + json(started).get("id").asText(),
                Duration.ofMinutes(5));
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");

        Map<String, Object> features = new LinkedHashMap<>();
        features.put("age", 60);
        features.put("sex", "female");
        features.put("sbp", 135.0);
        features.put("bmi", 29.0);
        HttpResponse<String> prediction = api.send("clinician", HttpRequest.newBuilder(api.uri("/ml/api/models/cardiometabolic/predict"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("features", features)))));
        assertThat(prediction.statusCode()).as(prediction.body()).isEqualTo(200);
        assertThat(json(prediction).get("probability").asDouble()).isBetween(0.0, 1.0);
    }

    @Test
    @Order(3)
    void thePullIsAuditedAsDoneForTheResearcher() throws Exception {
        try (var audit = dataSources.forSchema("audit");
                var connection = audit.getConnection();
                var query = connection.prepareStatement("SELECT event_json::text FROM audit_outbox WHERE event_json::text LIKE ?")) {
            query.setString(1, "%FHIR cohort cardiometabolic%");
            try (var rs = query.executeQuery()) {
                assertThat(rs.next()).as("an audit record of the pull").isTrue();
                String event = rs.getString(1);
                assertThat(event).contains("researcher", "/ml/api/datasets/fhir", "service identity", "SUCCEEDED");
            }
        }
    }

    @Test
    @Order(4)
    void aBadSpecIsRefusedWith400NamingTheProblem() throws Exception {
        HttpResponse<String> typo = postSpec("researcher", SPEC.replace("horizonYears: 1", "horizon: 1"));
        assertThat(typo.statusCode()).isEqualTo(400);
        assertThat(typo.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        assertThat(json(typo).get("detail").asText()).contains("unknown key 'horizon' at label");

        HttpResponse<String> noLabel = postSpec("researcher", "name: x\nfeatures:\n  - {name: age, patient: age}\n");
        assertThat(noLabel.statusCode()).isEqualTo(400);
        assertThat(json(noLabel).get("problems").toString()).contains("label is missing");
    }

    @Test
    @Order(5)
    void onlyResearchersAndAdminsPullCohorts() throws Exception {
        assertThat(postSpec("clinician", SPEC).statusCode()).isEqualTo(403);
        assertThat(postSpec("viewer", SPEC).statusCode()).isEqualTo(403);
        assertThat(api.get("clinician", "/ml/api/datasets/fhir/" + pulled.get("id").asText()).statusCode()).isEqualTo(403);
        assertThat(api.sendAnonymously(HttpRequest.newBuilder(api.uri("/ml/api/datasets/fhir"))
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(SPEC)).build())
                .statusCode()).isEqualTo(401);
        assertThat(api.get("researcher", "/ml/api/datasets/fhir/" + java.util.UUID.randomUUID()).statusCode()).isEqualTo(404);
    }

    private String storedTable(String datasetId) throws Exception {
        try (var ml = dataSources.forSchema("ml");
                var connection = ml.getConnection();
                var query = connection.prepareStatement("SELECT content FROM dataset WHERE id = ?::uuid")) {
            query.setString(1, datasetId);
            try (var rs = query.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return new String(rs.getBytes(1), StandardCharsets.UTF_8);
            }
        }
    }

    private HttpResponse<String> postSpec(String user, String yaml) throws Exception {
        return api.send(user, HttpRequest.newBuilder(api.uri("/ml/api/datasets/fhir"))
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(yaml)));
    }

}
