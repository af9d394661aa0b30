package org.medhub.ml.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.medhub.ml.MlProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

class SmallCellsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SmallCells CELLS = new SmallCells(new Binder(new MapConfigurationPropertySource(Map.of()))
            .bindOrCreate("medhub.ml", Bindable.of(MlProperties.class)));

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    private static void signIn(String role) {
        SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("u", null, "ROLE_" + role));
    }

    private static Map<String, Object> details() throws Exception {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("metrics", JSON.readTree("""
                {"trainRows": 183, "testRows": 61, "heldOut": {"count": 61, "positives": 7, "confusionMatrix":
                 {"truePositives": 4, "falsePositives": 12, "trueNegatives": 42, "falseNegatives": 3}}}"""));
        details.put("fairness", JSON.readTree("""
                {"groups": [{"attribute": "sex", "group": "F", "count": 52, "positives": 20, "auc": 0.8, "tpr": 0.7,
                             "fpr": 0.2, "calibrationError": 0.05, "calibration": []},
                            {"attribute": "sex", "group": "M", "count": 9, "positives": 2, "auc": 1.0, "tpr": 1.0,
                             "fpr": 0.0, "calibrationError": 0.1, "calibration": []}],
                 "gaps": [{"attribute": "sex", "metric": "tpr", "gap": 0.3, "lowest": "F", "highest": "M"}]}"""));
        details.put("modelCard", JSON.readTree("""
                {"data": {"trainingRows": 183, "testRows": 61},
                 "subgroups": [{"attribute": "sex", "group": "F", "count": 52, "positives": 20, "tpr": 0.7},
                               {"attribute": "sex", "group": "M", "count": 9, "positives": 2, "tpr": 1.0}],
                 "limitations": ["Evaluated on a held-out split of the same dataset (61 rows), not on an external population."]}"""));
        details.put("modelCardMarkdown", """
                # Model card: m v1

                Target `event` (positive: `yes`), 183 training rows, 61 held-out rows, data sha256:ab.

                | attribute | group | n | AUC | TPR | FPR | calibration error |
                |---|---|---|---|---|---|---|
                | sex | F | 52 | 0.800 | 0.700 | 0.200 | 0.050 |
                | sex | M | 9 | 1.000 | 1.000 | 0.000 | 0.100 |

                Largest gaps: tpr by sex 0.300 (flagged)

                - Evaluated on a held-out split of the same dataset (61 rows), not on an external population.""");
        return details;
    }

    @Test
    void aResearcherSeesRoundedCountsAndNoResultsOfASmallSubgroup() throws Exception {
        signIn("RESEARCHER");
        Map<String, Object> shown = CELLS.modelDetails(details());
        JsonNode metrics = (JsonNode) shown.get("metrics");
        assertThat(metrics.get("trainRows").asInt()).isEqualTo(185);
        assertThat(metrics.at("/heldOut/count").asInt()).isEqualTo(60);
        assertThat(metrics.at("/heldOut/positives").isNull()).isTrue();
        assertThat(metrics.at("/heldOut/confusionMatrix/truePositives").isNull()).isTrue();
        assertThat(metrics.at("/heldOut/confusionMatrix/falsePositives").asInt()).isEqualTo(10);
        assertThat(metrics.at("/heldOut/confusionMatrix/trueNegatives").asInt()).isEqualTo(40);
        JsonNode fairness = (JsonNode) shown.get("fairness");
        assertThat(fairness.at("/groups/0/tpr").asDouble()).isEqualTo(0.7);
        assertThat(fairness.at("/groups/0/count").asInt()).isEqualTo(50);
        assertThat(fairness.at("/groups/1/count").isNull()).isTrue();
        assertThat(fairness.at("/groups/1").has("tpr")).isFalse();
        assertThat(fairness.at("/groups/1").has("auc")).isFalse();
        assertThat(fairness.get("gaps")).as("a gap would give the small group's rate away").isEmpty();
        assertThat(shown.get("disclosure").toString()).contains("fairness.groups[sex=M].count", "exact=false");

        String card = (String) shown.get("modelCardMarkdown");
        assertThat(card).contains("185 training rows, 60 held-out rows", "| sex | F | 50 | 0.800 | 0.700 | 0.200 | 0.050 |",
                "| sex | M | fewer than the minimum cell size | withheld |", "held-out split of the same dataset (60 rows)",
                "Largest gaps: withheld");
        assertThat(card).doesNotContain("183", "61", "| 9 |", "1.000");
        assertThat(((JsonNode) shown.get("modelCard")).at("/limitations/0").asText()).contains("(60 rows)");
    }

    @Test
    void anAdminSeesExactValues() throws Exception {
        signIn("ADMIN");
        Map<String, Object> details = details();
        assertThat(CELLS.modelDetails(details)).isSameAs(details);
    }
}
