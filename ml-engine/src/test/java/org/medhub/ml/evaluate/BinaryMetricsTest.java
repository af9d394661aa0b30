package org.medhub.ml.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medhub.ml.dataset.DatasetSpec.Subgroup;

class BinaryMetricsTest {

    private static final boolean[] Y = {true, false, true, false, true, false};
    private static final double[] P = {0.9, 0.2, 0.6, 0.7, 0.3, 0.05};

    @Test
    void brierScoreMatchesHandComputedValue() {
        // (0.1^2 + 0.2^2 + 0.4^2 + 0.7^2 + 0.7^2 + 0.05^2) / 6
        assertThat(BinaryMetrics.brier(Y, P)).isCloseTo((0.01 + 0.04 + 0.16 + 0.49 + 0.49 + 0.0025) / 6, within(1e-12));
    }

    @Test
    void thresholdMetricsAndAucMatchHandComputedValues() {
        Evaluation e = BinaryMetrics.evaluate(Y, P, 0.5);

        assertThat(new int[] {e.truePositives(), e.falsePositives(), e.trueNegatives(), e.falseNegatives()})
                .containsExactly(2, 1, 2, 1);
        assertThat(e.accuracy()).isCloseTo(4 / 6.0, within(1e-12));
        assertThat(e.precision()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(e.recall()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(e.f1()).isCloseTo(2 / 3.0, within(1e-12));
        // positive/negative pairs ranked correctly: 0.9 beats all 3, 0.6 beats 2 (0.2, 0.05), 0.3 beats 2
        assertThat(e.auc()).isCloseTo(7 / 9.0, within(1e-12));
        assertThat(e.roc().x()).isNotEmpty();
    }

    @Test
    void calibrationBinsHoldMeanPredictionAndObservedRate() {
        List<CalibrationBin> bins = BinaryMetrics.calibration(Y, P, 2);

        assertThat(bins).hasSize(2);
        assertThat(bins.get(0).count()).isEqualTo(3);
        assertThat(bins.get(0).meanPredicted()).isCloseTo((0.2 + 0.3 + 0.05) / 3, within(1e-12));
        assertThat(bins.get(0).observedRate()).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(bins.get(1).meanPredicted()).isCloseTo((0.9 + 0.6 + 0.7) / 3, within(1e-12));
        assertThat(bins.get(1).observedRate()).isCloseTo(2 / 3.0, within(1e-12));
    }

    @Test
    void subgroupReportBandsNumbersAndFlagsTheLargestGap() {
        List<Map<String, Object>> rows = List.of(
                Map.of("age", 30.0), Map.of("age", 35.0), Map.of("age", 38.0),
                Map.of("age", 70.0), Map.of("age", 72.0), Map.of("age", 75.0));
        SubgroupReport report = SubgroupReport.of(List.of(new Subgroup("age", List.of(40.0, 65.0))), rows, Y, P,
                0.5, 0.1, 1);

        assertThat(report.groups()).extracting(SubgroupReport.Group::group).containsExactly("<40", ">=65");
        assertThat(report.groups().get(0).calibration()).isNotEmpty();
        assertThat(report.groups().get(0).count()).isEqualTo(3);
        assertThat(report.flagged()).isNotEmpty();
        assertThat(report.gaps().get(0).gap()).isGreaterThanOrEqualTo(report.gaps().get(report.gaps().size() - 1).gap());
    }
}
