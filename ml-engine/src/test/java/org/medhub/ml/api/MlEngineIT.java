package org.medhub.ml.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medhub.ml.SyntheticCsv;
import org.medhub.ml.standalone.MlEngineApplication;
import org.medhub.platform.database.SchemaDataSources;
import org.medhub.platform.testing.KeycloakExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The ML engine through HTTP with real tokens: upload a CSV, train (small grids), get a registered
 * active model, predict and explain as a clinician, schema errors as 400 problem+json naming the
 * field, role checks, audited predictions, versioning (an admin activates, rolls back, deletes) and
 * cancellation. Runs are started by the admin so that a first version serves at once.
 */
@ExtendWith(KeycloakExtension.class)
@SpringBootTest(
        classes = MlEngineApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"medhub.database.data-directory=target/it-postgres/ml-${random.uuid}", "medhub.ml.worker-threads=2"})
@TestInstance(Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MlEngineIT {

    private static final ObjectMapper JSON = MlHttp.JSON;
    private static final String SMALL_RUN = """
            {"datasetId":"%s","modelName":"cvd-risk","algorithms":["LOGISTIC_REGRESSION","XGBOOST"],"folds":3,
             "grids":{"LOGISTIC_REGRESSION":{"learningRate":[0.1,0.5],"epochs":[10]},
                      "XGBOOST":{"trees":[10,20],"eta":[0.3],"maxDepth":[2,3]}}}""";

    @LocalServerPort
    int port;

    @Autowired
    SchemaDataSources dataSources;

    MlHttp api;
    String datasetId;

    @BeforeAll
    void upload() throws Exception {
        api = new MlHttp(port);
        HttpResponse<String> response = send("researcher", HttpRequest.newBuilder(uri(
                        "/ml/api/datasets?name=synthetic&target=event&positiveClass=yes&exclude=id&range=age:18,110"
                                + "&subgroup=sex&subgroup=age:50"))
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofByteArray(SyntheticCsv.cohort(240, 21))));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode dataset = JSON.readTree(response.body());
        assertThat(dataset.get("rows").asInt()).isEqualTo(240);
        assertThat(dataset.get("columns").findValuesAsText("type")).contains("NUMERIC", "CATEGORICAL");
        datasetId = dataset.get("id").asText();
    }

    @Test
    @Order(1)
    void anAdminTrainsAndTheWinnerIsRegisteredActiveWithMetricsSubgroupsAndCard() throws Exception {
        JsonNode run = trainToEnd(SMALL_RUN.formatted(datasetId));
        assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.get("percent").asInt()).isEqualTo(100);

        JsonNode versions = json(get("clinician", "/ml/api/models?name=cvd-risk"));
        assertThat(versions).hasSize(1);
        assertThat(versions.get(0).get("active").asBoolean()).isTrue();

        JsonNode details = json(get("researcher", "/ml/api/models/cvd-risk/versions/1"));
        assertThat(details.at("/metrics/heldOut/auc").asDouble()).isBetween(0.5, 1.0);
        assertThat(details.at("/metrics/heldOut/brier").asDouble()).isBetween(0.0, 0.5);
        assertThat(details.at("/curves/roc/x").size()).isPositive();
        assertThat(details.at("/curves/calibration").size()).isPositive();
        assertThat(details.at("/fairness/groups").findValuesAsText("group")).contains("F", "M", "<50", ">=50");
        assertThat(details.at("/importance").fieldNames()).toIterable().contains("age", "sex", "sbp", "smoker", "chol");
        assertThat(details.at("/provenance/dataFingerprint").asText()).startsWith("sha256:");
        assertThat(details.at("/provenance/tribuo").asText()).isNotBlank();
        assertThat(details.at("/featureSchema/features").size()).isEqualTo(5);
        assertThat(get("clinician", "/ml/api/models/cvd-risk/versions/1/model-card").body())
                .contains("# Model card: cvd-risk v1", "## Subgroups", "## Limitations");
    }

    @Test
    @Order(2)
    void clinicianPredictsAndGetsShapThatAddsUpAndLimeWeights() throws Exception {
        HttpResponse<String> prediction = post("clinician", "/ml/api/models/cvd-risk/predict",
                Map.of("features", features(), "patient", "Patient/123"));
        assertThat(prediction.statusCode()).as(prediction.body()).isEqualTo(200);
        assertThat(json(prediction).get("probability").asDouble()).isBetween(0.0, 1.0);
        assertThat(json(prediction).get("version").asInt()).isEqualTo(1);
        assertThat(auditedAccessesTo("Patient/123")).isEqualTo(1);

        HttpResponse<String> explanation = post("clinician", "/ml/api/models/cvd-risk/explain",
                Map.of("features", features(), "lime", true));
        assertThat(explanation.statusCode()).as(explanation.body()).isEqualTo(200);
        JsonNode body = json(explanation);
        assertThat(body.get("localAccuracyError").asDouble()).isLessThan(1e-6);
        assertThat(body.at("/shap/contributions").fieldNames()).toIterable()
                .containsExactly("age", "sex", "sbp", "smoker", "chol");
        assertThat(body.get("lime").fieldNames()).toIterable().containsExactly("age", "sex", "sbp", "smoker", "chol");
    }

    @Test
    @Order(3)
    void inputsThatDoNotFitTheSchemaGet400ProblemsNamingTheField() throws Exception {
        assertProblem(without("sbp"), "sbp");
        assertProblem(with("weight", 80), "weight");
        assertProblem(with("age", "old"), "age");
        assertProblem(with("age", 130), "age");
        assertProblem(with("smoker", "sometimes"), "smoker");
    }

    @Test
    @Order(4)
    void rolesAreEnforced() throws Exception {
        assertThat(post("researcher", "/ml/api/models/cvd-risk/predict", Map.of("features", features())).statusCode())
                .isEqualTo(403);
        assertThat(post("viewer", "/ml/api/models/cvd-risk/explain", Map.of("features", features())).statusCode())
                .isEqualTo(403);
        HttpResponse<String> clinicianTrains = send("clinician", HttpRequest.newBuilder(uri("/ml/api/training-runs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(SMALL_RUN.formatted(datasetId))));
        assertThat(clinicianTrains.statusCode()).isEqualTo(403);
        assertThat(clinicianTrains.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        assertThat(api.sendAnonymously(HttpRequest.newBuilder(uri("/ml/api/models")).GET().build()).statusCode())
                .isEqualTo(401);
    }

    @Test
    @Order(5)
    void aNewVersionWaitsForActivationCanBeRolledBackAndOnlyAnAdminDeletes() throws Exception {
        assertThat(trainToEnd(SMALL_RUN.formatted(datasetId).replace("\"folds\":3", "\"folds\":3,\"seed\":7"))
                .get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(activeVersion()).isEqualTo(1);

        assertThat(activate("researcher", 2, "mine is better").statusCode()).as("researchers propose").isEqualTo(403);
        assertThat(activeVersion()).isEqualTo(1);
        assertThat(activate("admin", 2, "seed 7 validated").statusCode()).isEqualTo(200);
        assertThat(activeVersion()).isEqualTo(2);
        assertThat(json(post("clinician", "/ml/api/models/cvd-risk/predict", Map.of("features", features())))
                .get("version").asInt()).isEqualTo(2);

        assertThat(activate("admin", 1, "roll back").statusCode()).isEqualTo(200);
        assertThat(activeVersion()).isEqualTo(1);

        assertThat(send("researcher", HttpRequest.newBuilder(uri("/ml/api/models/cvd-risk/versions/2")).DELETE())
                .statusCode()).isEqualTo(403);
        assertThat(send("admin", HttpRequest.newBuilder(uri("/ml/api/models/cvd-risk/versions/1")).DELETE())
                .statusCode()).as("the active version").isEqualTo(409);
        assertThat(send("admin", HttpRequest.newBuilder(uri("/ml/api/models/cvd-risk/versions/2")).DELETE())
                .statusCode()).isEqualTo(204);
        assertThat(get("admin", "/ml/api/models/cvd-risk/versions/2").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(6)
    void aRunningTrainingCanBeCancelled() throws Exception {
        HttpResponse<String> started = post("researcher", "/ml/api/training-runs",
                Map.of("datasetId", datasetId, "modelName", "cancelled-model"));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String id = json(started).get("id").asText();
        HttpResponse<String> cancelled = send("researcher", HttpRequest.newBuilder(uri("/ml/api/training-runs/" + id + "/cancel"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(cancelled.statusCode()).isEqualTo(202);
        assertThat(await(id).get("status").asText()).isEqualTo("CANCELLED");
        assertThat(json(get("researcher", "/ml/api/models?name=cancelled-model"))).isEmpty();
    }

    @Test
    @Order(8)
    void theApiIsDescribedInOpenApi() throws Exception {
        HttpResponse<String> response = get("clinician", "/v3/api-docs/ml");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode paths = json(response).get("paths");
        assertThat(paths.fieldNames()).toIterable().contains("/ml/api/datasets", "/ml/api/training-runs",
                "/ml/api/models/{name}/predict", "/ml/api/models/{name}/explain",
                "/ml/api/models/{name}/versions/{version}/activate", "/ml/api/models/{name}/versions/{version}/export",
                "/ml/api/models/{name}/versions", "/ml/api/models/{name}/activations");
    }

    @Test
    @Order(7)
    void aBadDatasetIsRefusedWithTheProblemsListed() throws Exception {
        HttpResponse<String> response = send("researcher", HttpRequest.newBuilder(uri("/ml/api/datasets?name=bad&target=outcome"))
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString("a,b\n1,2\n")));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        assertThat(json(response).get("detail").asText()).contains("target column 'outcome' is not in the header");
    }

    @Test
    @Order(10)
    void aModelFileExportedEarlierIsRegisteredAsANewVersionThatPredictsTheSame() throws Exception {
        HttpResponse<String> exported = get("researcher", "/ml/api/models/cvd-risk/versions/1/export");
        assertThat(exported.statusCode()).as(exported.body()).isEqualTo(200);
        assertThat(exported.headers().firstValue("Content-Disposition")).hasValueSatisfying(
                d -> assertThat(d).contains("cvd-risk-v1.medhub-model.json"));
        assertThat(get("clinician", "/ml/api/models/cvd-risk/versions/1/export").statusCode()).isEqualTo(403);

        HttpResponse<String> uploaded = send("admin", HttpRequest.newBuilder(uri("/ml/api/models/imported-cvd/versions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(exported.body())));
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        assertThat(json(uploaded).get("version").asInt()).isEqualTo(1);
        assertThat(json(uploaded).get("active").asBoolean()).as("first version of its name, imported by an admin").isTrue();
        JsonNode details = json(get("researcher", "/ml/api/models/imported-cvd/versions/1"));
        assertThat(details.at("/provenance/importedFrom/name").asText()).isEqualTo("cvd-risk");
        assertThat(details.at("/provenance/importedBy").asText()).isEqualTo("admin");

        double original = json(post("clinician", "/ml/api/models/cvd-risk/predict", Map.of("features", features())))
                .get("probability").asDouble();
        double imported = json(post("clinician", "/ml/api/models/imported-cvd/predict", Map.of("features", features())))
                .get("probability").asDouble();
        assertThat(imported).isEqualTo(original);

        ObjectNode tampered = (ObjectNode) JSON.readTree(exported.body());
        String model = tampered.get("model").asText();
        char flipped = model.charAt(10) == 'A' ? 'B' : 'A';
        tampered.put("model", model.substring(0, 10) + flipped + model.substring(11));
        tampered.remove("feature_schema");
        HttpResponse<String> refused = send("researcher", HttpRequest.newBuilder(uri("/ml/api/models/imported-cvd/versions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(tampered.toString())));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(json(refused).get("problems").toString()).contains("modelSha256 does not match", "'feature_schema' is missing");
        assertThat(send("clinician", HttpRequest.newBuilder(uri("/ml/api/models/imported-cvd/versions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(exported.body()))).statusCode()).isEqualTo(403);
        assertThat(json(get("researcher", "/ml/api/models?name=imported-cvd"))).as("nothing stored by refusals").hasSize(1);
    }

    @Test
    @Order(9)
    void theCallerCanFixTheHeldOutRowsAndRowsBeyondTheDatasetGet400() throws Exception {
        List<Integer> testRows = IntStream.range(0, 240).filter(r -> r % 5 == 0).boxed().toList();
        String body = SMALL_RUN.formatted(datasetId).replace("\"cvd-risk\"", "\"fixed-split\"")
                .replace("\"folds\":3", "\"folds\":3,\"testRows\":" + testRows);

        JsonNode run = trainToEnd(body);

        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        JsonNode details = json(get("admin", "/ml/api/models/fixed-split/versions/1")); // exact counts
        assertThat(details.at("/metrics/testRows").asInt()).isEqualTo(48);
        assertThat(details.at("/metrics/heldOut/count").asInt()).isEqualTo(48);
        assertThat(details.at("/provenance/trainingRequest/testRows").toString()).isEqualTo(testRows.toString().replace(" ", ""));
        HttpResponse<String> beyond = send("researcher", HttpRequest.newBuilder(uri("/ml/api/training-runs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.replace("\"testRows\":[0,", "\"testRows\":[240,"))));
        assertThat(beyond.statusCode()).as(beyond.body()).isEqualTo(400);
        assertThat(json(beyond).get("detail").asText()).contains("testRows", "240 data rows");
    }

    private void assertProblem(Map<String, Object> input, String field) throws Exception {
        HttpResponse<String> response = post("clinician", "/ml/api/models/cvd-risk/predict", Map.of("features", input));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        assertThat(json(response).get("field").asText()).isEqualTo(field);
        assertThat(json(response).get("detail").asText()).contains(field);
    }

    /** Audit records naming the patient, read from the platform's outbox (no FHIR publisher runs here). */
    private int auditedAccessesTo(String patient) throws Exception {
        try (var audit = dataSources.forSchema("audit");
                var connection = audit.getConnection();
                var query = connection.prepareStatement(
                        "SELECT count(*) FROM audit_outbox WHERE event_json @> ?::jsonb AND event_json::text LIKE ?")) {
            query.setString(1, "{\"entity\":[{\"what\":{\"reference\":\"" + patient + "\"}}]}");
            query.setString(2, "%/ml/api/models/cvd-risk/predict%");
            try (var rs = query.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private int activeVersion() throws Exception {
        for (JsonNode version : json(get("researcher", "/ml/api/models?name=cvd-risk"))) {
            if (version.get("active").asBoolean()) {
                return version.get("version").asInt();
            }
        }
        return -1;
    }

    /** Trained by an admin, so that the first version of a name serves at once (a researcher's would be a proposal). */
    private JsonNode trainToEnd(String body) throws Exception {
        return api.trainToEnd("admin", body);
    }

    private JsonNode await(String runId) throws Exception {
        return api.await(runId);
    }

    private static Map<String, Object> features() {
        return SyntheticCsv.patient();
    }

    private static Map<String, Object> with(String name, Object value) {
        Map<String, Object> features = features();
        features.put(name, value);
        return features;
    }

    private static Map<String, Object> without(String name) {
        Map<String, Object> features = features();
        features.remove(name);
        return features;
    }

    private URI uri(String path) {
        return api.uri(path);
    }

    private HttpResponse<String> get(String user, String path) throws Exception {
        return api.get(user, path);
    }

    private HttpResponse<String> post(String user, String path, Object body) throws Exception {
        return api.post(user, path, body);
    }

    private HttpResponse<String> send(String user, HttpRequest.Builder request) throws Exception {
        return api.send(user, request);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return MlHttp.json(response);
    }

    private HttpResponse<String> activate(String user, int version, String reason) throws Exception {
        return send(user, HttpRequest.newBuilder(uri("/ml/api/models/cvd-risk/versions/" + version + "/activate"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("reason", reason)))));
    }
}
