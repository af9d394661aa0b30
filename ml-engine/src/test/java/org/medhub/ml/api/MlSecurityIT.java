package org.medhub.ml.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medhub.ml.api.MlHttp.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * Issue 13 as a hostile user of each role would try it on {@code /ml/api}, through HTTP with real tokens:
 * researchers cannot steer decision support (item 2), inputs are bounded (item 6), data-bearing requests
 * are audited (item 9) and small cells are withheld from researchers (item 10). Limits are set low here
 * so that the refusals are cheap to provoke.
 */
@ExtendWith(KeycloakExtension.class)
@SpringBootTest(
        classes = MlEngineApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "medhub.database.data-directory=target/it-postgres/ml-security-${random.uuid}",
            "medhub.ml.worker-threads=2",
            "medhub.ml.concurrent-runs=1",
            "medhub.ml.max-queued-runs=1",
            "medhub.ml.max-dataset-size=64KB",
            "medhub.ml.max-cohort-spec-size=4KB",
            "medhub.ml.max-model-file-size=1MB"
        })
@TestInstance(Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MlSecurityIT {

    private static final String LR_RUN = """
            {"datasetId":"%s","modelName":"%s","algorithms":["LOGISTIC_REGRESSION"],"folds":3,
             "grids":{"LOGISTIC_REGRESSION":{"learningRate":[0.5],"epochs":[10]}}}""";

    @LocalServerPort
    int port;

    @Autowired
    SchemaDataSources dataSources;

    MlHttp api;
    String datasetId;

    @BeforeAll
    void upload() throws Exception {
        api = new MlHttp(port);
        HttpResponse<String> response = csv("researcher", "synthetic", SyntheticCsv.cohort(240, 21));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        datasetId = json(response).get("id").asText();
    }

    // --- item 2: researchers propose, admins activate -------------------------------------------------

    @Test
    @Order(1)
    void aResearchersFirstVersionOfANameIsAProposalNotTheActiveOne() throws Exception {
        JsonNode run = api.trainToEnd("researcher", LR_RUN.formatted(datasetId, "steered"));
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");

        JsonNode versions = json(api.get("researcher", "/ml/api/models?name=steered"));
        assertThat(versions).hasSize(1);
        assertThat(versions.get(0).get("active").asBoolean()).isFalse();
        assertThat(versions.get(0).get("state").asText()).isEqualTo("PROPOSED");
        HttpResponse<String> prediction = api.post("clinician", "/ml/api/models/steered/predict",
                Map.of("features", SyntheticCsv.patient()));
        assertThat(prediction.statusCode()).as("nothing serves until an admin activates").isEqualTo(404);
    }

    @Test
    @Order(2)
    void aResearcherCannotActivateAndAnImportByAResearcherStaysInactive() throws Exception {
        HttpResponse<String> refused = activate("researcher", "steered", 1, "{\"reason\":\"I want it to serve\"}");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        assertThat(json(api.get("researcher", "/ml/api/models/steered/activations"))).isEmpty();

        HttpResponse<String> exported = api.get("researcher", "/ml/api/models/steered/versions/1/export");
        assertThat(exported.statusCode()).isEqualTo(200);
        HttpResponse<String> imported = api.send("researcher", HttpRequest.newBuilder(api.uri("/ml/api/models/smuggled/versions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(exported.body())));
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
        assertThat(json(imported).get("active").asBoolean()).as("a researcher's import is a proposal").isFalse();
        assertThat(json(imported).get("state").asText()).isEqualTo("PROPOSED");
        assertThat(activate("researcher", "smuggled", 1, "{\"reason\":\"x\"}").statusCode()).isEqualTo(403);
        assertThat(json(api.get("researcher", "/ml/api/models?name=smuggled")).get(0).get("active").asBoolean()).isFalse();
    }

    @Test
    @Order(3)
    void anAdminActivationNeedsABoundedReason() throws Exception {
        for (String body : List.of("", "{}", "{\"reason\":\"   \"}", "{\"reason\":\"" + "x".repeat(501) + "\"}")) {
            HttpResponse<String> refused = activate("admin", "steered", 1, body);
            assertThat(refused.statusCode()).as(body).isEqualTo(400);
            assertThat(json(refused).get("detail").asText()).contains("reason", "500");
        }
        assertThat(json(api.get("admin", "/ml/api/models?name=steered")).get(0).get("active").asBoolean()).isFalse();
        assertThat(json(api.get("admin", "/ml/api/models/steered/activations"))).isEmpty();
    }

    @Test
    @Order(4)
    void anAdminActivationWithAReasonServesIsRecordedInTheHistoryAndAudited() throws Exception {
        HttpResponse<String> first = activate("admin", "steered", 1, "{\"reason\":\"validated on the 2026 audit set\"}");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(json(first).get("activatedBy").asText()).isEqualTo("admin");
        assertThat(json(first).get("replacedVersion").isNull()).isTrue();
        assertThat(json(api.post("clinician", "/ml/api/models/steered/predict", Map.of("features", SyntheticCsv.patient())))
                .get("version").asInt()).isEqualTo(1);

        assertThat(api.trainToEnd("researcher", LR_RUN.formatted(datasetId, "steered").replace("\"folds\":3", "\"folds\":4"))
                .get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(json(api.get("researcher", "/ml/api/models/steered/versions/2")).at("/version/state").asText())
                .isEqualTo("PROPOSED");
        HttpResponse<String> second = activate("admin", "steered", 2, "{\"reason\":\"four folds: steadier estimate\"}");
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(activate("admin", "steered", 2, "{\"reason\":\"again\"}").statusCode()).isEqualTo(409);

        JsonNode history = json(api.get("researcher", "/ml/api/models/steered/activations"));
        assertThat(history).hasSize(2);
        assertThat(history.get(0).get("version").asInt()).isEqualTo(2);
        assertThat(history.get(0).get("replacedVersion").asInt()).isEqualTo(1);
        assertThat(history.get(0).get("reason").asText()).isEqualTo("four folds: steadier estimate");
        assertThat(history.get(0).get("activatedBy").asText()).isEqualTo("admin");
        assertThat(history.get(0).get("activatedAt").asText()).isNotBlank();
        assertThat(history.get(1).get("version").asInt()).isEqualTo(1);
        JsonNode versions = json(api.get("researcher", "/ml/api/models?name=steered"));
        assertThat(versions.findValuesAsText("state")).containsExactly("RETIRED", "ACTIVE");

        assertThat(MlHttp.audited(dataSources, "/ml/api/models/steered/versions/2/activate", "replacing v1",
                "four folds: steadier estimate", "\"code\": \"update\"")).isEqualTo(1);
        assertThat(MlHttp.audited(dataSources, "/ml/api/models/steered/versions/1/activate",
                "validated on the 2026 audit set")).isEqualTo(1);
    }

    // --- item 6: bounded input --------------------------------------------------------------------------

    @Test
    @Order(5)
    void hyperparametersAndTheNumberOfCandidatesAreBounded() throws Exception {
        HttpResponse<String> huge = api.post("researcher", "/ml/api/training-runs", Map.of("datasetId", datasetId,
                "modelName", "huge", "algorithms", List.of("XGBOOST"),
                "grids", Map.of("XGBOOST", Map.of("trees", List.of(1e9), "eta", List.of(0.3), "maxDepth", List.of(3)))));
        assertThat(huge.statusCode()).as(huge.body()).isEqualTo(400);
        assertThat(json(huge).get("detail").asText()).contains("XGBOOST.trees", "1 to 500");

        List<Double> many = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            many.add((double) i);
        }
        HttpResponse<String> wide = api.post("researcher", "/ml/api/training-runs", Map.of("datasetId", datasetId,
                "modelName", "wide", "algorithms", List.of("XGBOOST"),
                "grids", Map.of("XGBOOST", Map.of("trees", many, "eta", List.of(0.1, 0.3), "maxDepth", List.of(2, 3)))));
        assertThat(wide.statusCode()).as(wide.body()).isEqualTo(400);
        assertThat(json(wide).get("detail").asText()).contains("120 hyperparameter candidates", "medhub.ml.max-candidates");

        HttpResponse<String> fractional = api.post("researcher", "/ml/api/training-runs", Map.of("datasetId", datasetId,
                "modelName", "fractional", "algorithms", List.of("LOGISTIC_REGRESSION"),
                "grids", Map.of("LOGISTIC_REGRESSION", Map.of("learningRate", List.of(0.1), "epochs", List.of(2.5)))));
        assertThat(fractional.statusCode()).isEqualTo(400);
        assertThat(json(api.get("researcher", "/ml/api/models?name=huge"))).isEmpty();
    }

    @Test
    @Order(6)
    void aFullTrainingQueueIsRefusedWith503AndRetryAfter() throws Exception {
        // One run coordinates at a time and one may wait: the third concurrent request finds the line full.
        Map<String, String> slow = Map.of("datasetId", datasetId, "modelName", "queued");
        String running = json(api.post("researcher", "/ml/api/training-runs", slow)).get("id").asText();
        String waiting = json(api.post("researcher", "/ml/api/training-runs", slow)).get("id").asText();
        HttpResponse<String> refused = api.post("researcher", "/ml/api/training-runs", slow);
        api.send("researcher", HttpRequest.newBuilder(api.uri("/ml/api/training-runs/" + waiting + "/cancel"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        api.send("researcher", HttpRequest.newBuilder(api.uri("/ml/api/training-runs/" + running + "/cancel"))
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        assertThat(json(refused).get("setting").asText()).isEqualTo("medhub.ml.max-queued-runs");
        assertThat(api.await(running).get("status").asText()).isEqualTo("CANCELLED");
        assertThat(api.await(waiting).get("status").asText()).isEqualTo("CANCELLED");
    }

    @Test
    @Order(7)
    void uploadsBeyondTheirLimitGet413NamingTheSettingAndNothingIsKept() throws Exception {
        int datasets = MlHttp.rows(dataSources, "dataset");
        int versions = MlHttp.rows(dataSources, "model_version");
        byte[] bigCsv = SyntheticCsv.cohort(3000, 5);
        assertThat(bigCsv.length).isGreaterThan(64 * 1024);

        HttpResponse<String> declared = csv("researcher", "big", bigCsv);
        assertTooLarge(declared, "medhub.ml.max-dataset-size");
        HttpResponse<String> chunked = api.send("researcher", HttpRequest.newBuilder(
                        api.uri("/ml/api/datasets?name=big&target=event&positiveClass=yes&exclude=id"))
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bigCsv))));
        assertTooLarge(chunked, "medhub.ml.max-dataset-size");

        String spec = "name: big\ndescription: \"" + "x".repeat(5000) + "\"\n";
        assertTooLarge(api.send("researcher", HttpRequest.newBuilder(api.uri("/ml/api/datasets/fhir"))
                .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString(spec))),
                "medhub.ml.max-cohort-spec-size");

        String modelFile = "{\"format\":\"medhub-model-version/1\",\"padding\":\"" + "x".repeat(1_100_000) + "\"}";
        assertTooLarge(api.send("researcher", HttpRequest.newBuilder(api.uri("/ml/api/models/big/versions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(modelFile))),
                "medhub.ml.max-model-file-size");

        assertThat(MlHttp.rows(dataSources, "dataset")).isEqualTo(datasets);
        assertThat(MlHttp.rows(dataSources, "model_version")).isEqualTo(versions);
        assertThat(MlHttp.audited(dataSources, "CSV dataset 'big'", "medhub.ml.max-dataset-size")).isEqualTo(2);
    }

    // --- item 9: audit gaps -------------------------------------------------------------------------------

    @Test
    @Order(8)
    void uploadsDescriptionsExportsAndPredictionsWithoutAPatientAreAudited() throws Exception {
        assertThat(MlHttp.audited(dataSources, "dataset " + datasetId, "\"code\": \"create\"", "CSV dataset 'synthetic'"))
                .isEqualTo(1);
        assertThat(api.get("researcher", "/ml/api/datasets/" + datasetId).statusCode()).isEqualTo(200);
        assertThat(MlHttp.audited(dataSources, "dataset " + datasetId, "\"code\": \"read\"", "/ml/api/datasets/" + datasetId))
                .isEqualTo(1);
        assertThat(MlHttp.audited(dataSources, "/ml/api/models/steered/versions/1/export", "training reference sample",
                "researcher")).isEqualTo(1);

        int before = MlHttp.audited(dataSources, "/ml/api/models/steered/predict", "model steered v2");
        assertThat(api.post("clinician", "/ml/api/models/steered/predict", Map.of("features", SyntheticCsv.patient()))
                .statusCode()).isEqualTo(200);
        assertThat(MlHttp.audited(dataSources, "/ml/api/models/steered/predict", "model steered v2", "clinician"))
                .isEqualTo(before + 1);
        Map<String, Object> wrong = SyntheticCsv.patient();
        wrong.put("age", "old");
        assertThat(api.post("clinician", "/ml/api/models/steered/predict", Map.of("features", wrong)).statusCode())
                .isEqualTo(400);
        assertThat(MlHttp.audited(dataSources, "/ml/api/models/steered/predict", "\"outcome\": \"4\"", "age"))
                .isEqualTo(1);
    }

    // --- item 10: small cells -------------------------------------------------------------------------------

    @Test
    @Order(9)
    void aNarrowDatasetShowsResearchersNoExactSmallCountNorTheRangeOfAFewValues() throws Exception {
        // 12 patients, 3 with the event, a lab value measured in 2 of them.
        StringBuilder narrow = new StringBuilder("age,lab,event\n");
        for (int i = 0; i < 12; i++) {
            narrow.append(40 + i).append(',').append(i < 2 ? String.valueOf(7.5 + i) : "").append(',')
                    .append(i % 4 == 0 ? "yes" : "no").append('\n');
        }
        HttpResponse<String> uploaded = csv("researcher", "narrow", narrow.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        String id = json(uploaded).get("id").asText();

        for (JsonNode shown : List.of(json(uploaded), json(api.get("researcher", "/ml/api/datasets/" + id)))) {
            assertThat(shown.get("rows").asInt()).as("12 rounded to a multiple of 5").isEqualTo(10);
            assertThat(shown.get("positives").isNull()).isTrue();
            JsonNode lab = column(shown, "lab");
            assertThat(lab.get("missing").isNull()).as("10 missing leaves 2 present").isTrue();
            assertThat(lab.get("min").isNull()).isTrue();
            assertThat(lab.get("max").isNull()).isTrue();
            assertThat(shown.at("/disclosure/exact").asBoolean()).isFalse();
            assertThat(shown.at("/disclosure/withheld").toString()).contains("positives", "columns[lab].min");
        }
        JsonNode exact = json(api.get("admin", "/ml/api/datasets/" + id));
        assertThat(exact.get("rows").asInt()).isEqualTo(12);
        assertThat(exact.get("positives").asInt()).isEqualTo(3);
        assertThat(column(exact, "lab").get("min").asDouble()).isEqualTo(7.5);
        assertThat(exact.at("/disclosure/exact").asBoolean()).isTrue();
    }

    @Test
    @Order(10)
    void aModelsEvaluationCountsAreRoundedOrWithheldForResearchers() throws Exception {
        JsonNode shown = json(api.get("researcher", "/ml/api/models/steered/versions/2"));
        JsonNode exact = json(api.get("admin", "/ml/api/models/steered/versions/2"));
        int count = exact.at("/metrics/heldOut/count").asInt();
        assertThat(shown.at("/metrics/heldOut/count").asInt()).isEqualTo(Math.round(count / 5.0f) * 5);
        int positives = exact.at("/metrics/heldOut/positives").asInt();
        JsonNode shownPositives = shown.at("/metrics/heldOut/positives");
        assertThat(shownPositives.isNull() || shownPositives.asInt() % 5 == 0).as(shownPositives.toString()).isTrue();
        for (JsonNode cell : shown.at("/metrics/heldOut/confusionMatrix")) {
            assertThat(cell.isNull() || (cell.asInt() >= 10 && cell.asInt() % 5 == 0) || cell.asInt() == 0)
                    .as(cell.toString()).isTrue();
        }
        assertThat(positives).isPositive();
        assertThat(shown.at("/disclosure/minCellSize").asInt()).isEqualTo(10);
    }

    private static JsonNode column(JsonNode dataset, String name) {
        for (JsonNode column : dataset.get("columns")) {
            if (column.get("name").asText().equals(name)) {
                return column;
            }
        }
        throw new AssertionError("no column " + name + " in " + dataset);
    }

    private static void assertTooLarge(HttpResponse<String> response, String setting) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        assertThat(json(response).get("setting").asText()).isEqualTo(setting);
        assertThat(json(response).get("detail").asText()).contains(setting);
    }

    private HttpResponse<String> csv(String user, String name, byte[] csv) throws Exception {
        return api.send(user, HttpRequest.newBuilder(api.uri("/ml/api/datasets?name=" + name
                        + "&target=event&positiveClass=yes" + (name.equals("narrow") ? "" : "&exclude=id&subgroup=sex")))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofByteArray(csv)));
    }

    private HttpResponse<String> activate(String user, String model, int version, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri("/ml/api/models/" + model + "/versions/" + version + "/activate"));
        if (!body.isEmpty()) {
            request.header("Content-Type", "application/json");
        }
        return api.send(user, request.POST(body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)));
    }
}
