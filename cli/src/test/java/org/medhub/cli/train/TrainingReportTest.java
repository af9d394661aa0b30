package org.medhub.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The lines train prints, from answers in the ML API's shapes (docs/ml-engine.md). */
class TrainingReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anUploadedDatasetIsSummarisedWithItsColumns() throws Exception {
        JsonNode dataset = JSON.readTree("""
                {"id":"d1","rows":240,"positives":57,"positiveClass":"yes",
                 "columns":[{"name":"age","type":"NUMERIC"},{"name":"sex","type":"CATEGORICAL"}]}""");
        assertThat(TrainingReport.dataset(dataset))
                .isEqualTo("  240 rows, 57 positive (yes), features: age NUMERIC, sex CATEGORICAL");
    }

    @Test
    void aCohortPullIsSummarised() throws Exception {
        JsonNode pull = JSON.readTree("""
                {"patientsRead":60,"rows":48,"indexDate":"2021-12-02","positives":9}""");
        assertThat(TrainingReport.cohort(pull))
                .isEqualTo("  60 patients read, 48 in the cohort (index date 2021-12-02), 9 positive");
    }

    @Test
    void anActiveVersionWithItsHeldOutMetricsToThreeDecimals() throws Exception {
        JsonNode details = JSON.readTree("""
                {"version":{"name":"cvd-risk","version":2,"algorithm":"XGBOOST","active":true},
                 "metrics":{"heldOut":{"count":48,"positives":9,"auc":0.81249,"averagePrecision":0.5,
                                       "brier":0.1236,"accuracy":1.0,"f1":0.0004}}}""");
        assertThat(TrainingReport.registered(details)).containsExactly(
                "Registered cvd-risk v2 (XGBOOST), active",
                "  held out (48 rows, 9 positive): AUC 0.812, average precision 0.5, Brier 0.124, accuracy 1, F1 0");
    }

    @Test
    void aProposedVersionSaysHowAnAdminActivatesIt() throws Exception {
        JsonNode details = JSON.readTree("""
                {"version":{"name":"heart","version":3,"algorithm":"LOGISTIC_REGRESSION","active":false},
                 "metrics":{"heldOut":{"count":10,"positives":2,"auc":0.75}}}""");
        assertThat(TrainingReport.registered(details)).containsExactly(
                "Registered heart v3 (LOGISTIC_REGRESSION); proposed: an admin activates it"
                        + " (POST /ml/api/models/heart/versions/3/activate with {\"reason\": ...})",
                "  held out (10 rows, 2 positive): AUC 0.75, average precision n/a, Brier n/a, accuracy n/a, F1 n/a");
    }

    @Test
    void aCsvTrainsTheModelNamedAfterIt() {
        assertThat(ModelName.fromCsv(Path.of("data/Heart_Study.v2.csv"))).isEqualTo("heart-study-v2");
        assertThat(ModelName.fromCsv(Path.of("cohort (2024).csv"))).isEqualTo("cohort-2024");
        assertThat(ModelName.fromCsv(Path.of("table.tsv"))).isEqualTo("table-tsv");
    }
}
