package org.medhub.ml.train;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingLimitsTest {

    private static final TrainingLimits LIMITS = new TrainingLimits(64, 1000);

    private static TrainingRequest request(SearchStrategy search, Integer randomCandidates,
            Map<Algorithm, Map<String, List<Double>>> grids) {
        return new TrainingRequest("m", List.copyOf(grids.isEmpty() ? List.of(Algorithm.XGBOOST) : grids.keySet()),
                search, randomCandidates, 3, null, null, null, grids);
    }

    @Test
    void theDefaultRunIsWithinTheDefaults() {
        assertThatCode(() -> LIMITS.check(new TrainingRequest("m", null, null, null, null, null, null, null, null)))
                .doesNotThrowAnyException();
    }

    @Test
    void aBillionTreesIsRefusedNamingTheHyperparameterAndItsRange() {
        var grids = Map.of(Algorithm.XGBOOST, Map.of("trees", List.of(1e9), "eta", List.of(0.3), "maxDepth", List.of(3.0)));
        assertThatThrownBy(() -> LIMITS.check(request(SearchStrategy.GRID, null, grids)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("XGBOOST.trees").hasMessageContaining("1 to 500 (whole numbers)");
    }

    @Test
    void fractionalCountsAndRatesOutsideTheirRangeAreRefused() {
        var epochs = Map.of(Algorithm.LOGISTIC_REGRESSION, Map.of("learningRate", List.of(0.1), "epochs", List.of(2.5)));
        assertThatThrownBy(() -> LIMITS.check(request(SearchStrategy.GRID, null, epochs))).hasMessageContaining("epochs");
        var eta = Map.of(Algorithm.XGBOOST, Map.of("trees", List.of(10.0), "eta", List.of(1.5), "maxDepth", List.of(3.0)));
        assertThatThrownBy(() -> LIMITS.check(request(SearchStrategy.GRID, null, eta))).hasMessageContaining("eta");
    }

    @Test
    void aGridSearchBeyondMaxCandidatesIsRefusedButARandomSampleOfItIsNot() {
        List<Double> trees = Collections.nCopies(30, 10.0);
        var grids = Map.of(Algorithm.XGBOOST, Map.of("trees", trees, "eta", List.of(0.1, 0.3), "maxDepth", List.of(2.0, 3.0)));
        assertThatThrownBy(() -> LIMITS.check(request(SearchStrategy.GRID, null, grids)))
                .hasMessage("the run would fit 120 hyperparameter candidates; medhub.ml.max-candidates allows 64");
        assertThatCode(() -> LIMITS.check(request(SearchStrategy.RANDOM, 20, grids))).doesNotThrowAnyException();
        assertThatThrownBy(() -> LIMITS.check(request(SearchStrategy.RANDOM, 65, grids)))
                .hasMessageContaining("medhub.ml.max-candidates");
    }

    @Test
    void aGridThatExpandsBeyondMaxGridCombinationsIsRefusedEvenForARandomSearch() {
        List<Double> many = Collections.nCopies(40, 10.0);
        var grids = Map.of(Algorithm.XGBOOST, Map.of("trees", many, "eta", Collections.nCopies(40, 0.1),
                "maxDepth", List.of(2.0)));
        assertThatThrownBy(() -> LIMITS.check(request(SearchStrategy.RANDOM, 4, grids)))
                .hasMessageContaining("1600 combinations").hasMessageContaining("medhub.ml.max-grid-combinations");
    }
}
