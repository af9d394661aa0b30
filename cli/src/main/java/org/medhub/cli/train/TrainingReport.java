package org.medhub.cli.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** The lines {@code train} prints about what the ML API answered (shapes of docs/ml-engine.md). */
final class TrainingReport {

    private TrainingReport() {}

    /** An uploaded CSV dataset: {@code 240 rows, 57 positive (yes), features: age NUMERIC, sex CATEGORICAL}. */
    static String dataset(JsonNode dataset) {
        List<String> columns = new ArrayList<>();
        dataset.path("columns").forEach(c -> columns.add(c.path("name").asText() + " " + c.path("type").asText()));
        return "  %s rows, %s positive (%s), features: %s".formatted(dataset.path("rows").asText(),
                dataset.path("positives").asText(), dataset.path("positiveClass").asText(), String.join(", ", columns));
    }

    /** A finished FHIR cohort pull. */
    static String cohort(JsonNode pull) {
        return "  %s patients read, %s in the cohort (index date %s), %s positive".formatted(
                pull.path("patientsRead").asText(), pull.path("rows").asText(), pull.path("indexDate").asText(),
                pull.path("positives").asText());
    }

    /**
     * The registered version (GET /ml/api/models/{name}/versions/{v}): whether it is active or waits
     * for an admin, and its held-out metrics to three decimals.
     */
    static List<String> registered(JsonNode details) {
        JsonNode version = details.path("version");
        String name = version.path("name").asText();
        String number = version.path("version").asText();
        String state = version.path("active").asBoolean()
                ? ", active"
                : "; proposed: an admin activates it (POST /ml/api/models/%s/versions/%s/activate with {\"reason\": ...})"
                        .formatted(name, number);
        JsonNode heldOut = details.path("metrics").path("heldOut");
        return List.of(
                "Registered %s v%s (%s)%s".formatted(name, number, version.path("algorithm").asText(), state),
                "  held out (%s rows, %s positive): AUC %s, average precision %s, Brier %s, accuracy %s, F1 %s".formatted(
                        heldOut.path("count").asText(), heldOut.path("positives").asText(),
                        metric(heldOut, "auc"), metric(heldOut, "averagePrecision"), metric(heldOut, "brier"),
                        metric(heldOut, "accuracy"), metric(heldOut, "f1")));
    }

    /** Three decimals without trailing zeros (0.8, 0.812, 1); "n/a" when the server has none. */
    static String metric(JsonNode metrics, String field) {
        JsonNode value = metrics.get(field);
        if (value == null || !value.isNumber()) {
            return "n/a";
        }
        return BigDecimal.valueOf(Math.round(value.asDouble() * 1000), 3).stripTrailingZeros().toPlainString();
    }
}
