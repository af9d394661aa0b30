package org.medhub.ml.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.medhub.ml.SyntheticCsv;
import org.medhub.ml.dataset.CsvDatasets;
import org.medhub.ml.dataset.Dataset;
import org.medhub.ml.dataset.DatasetException;
import org.medhub.ml.dataset.DatasetSpec;
import org.medhub.ml.evaluate.BinaryMetrics;
import org.medhub.ml.prepare.MissingValues;

class TrainingPipelineTest {

    private static final ExecutorService WORKERS = Executors.newFixedThreadPool(2);
    private static final Dataset DATA = CsvDatasets.read(SyntheticCsv.cohort(240, 5), new DatasetSpec("event", "yes",
            null, List.of("id"), null, List.of(new DatasetSpec.Subgroup("sex", null), new DatasetSpec.Subgroup("age", List.of(50.0)))));
    private static final Map<Algorithm, Map<String, List<Double>>> SMALL_GRIDS = Map.of(
            Algorithm.LOGISTIC_REGRESSION, Map.of("learningRate", List.of(0.1, 0.5), "epochs", List.of(10.0)),
            Algorithm.XGBOOST, Map.of("trees", List.of(10.0, 20.0), "eta", List.of(0.3), "maxDepth", List.of(2.0, 3.0)));

    @AfterAll
    static void stop() {
        WORKERS.shutdownNow();
    }

    @Test
    void gridSearchScoresEveryCandidateAndTheWinnerIsEvaluatedOnTheHeldOutSplit() {
        TrainingRequest request = new TrainingRequest("cvd", List.of(Algorithm.LOGISTIC_REGRESSION, Algorithm.XGBOOST),
                SearchStrategy.GRID, null, 3, 0.25, 7L, SelectionMetric.AUC, SMALL_GRIDS);
        Progress progress = new Progress();

        TrainingResult result = new TrainingPipeline(WORKERS, 0.1, 5, 30).train(DATA, request, progress);

        assertThat(progress.percent()).isEqualTo(100);
        assertThat(result.candidates()).hasSize(2);
        assertThat(result.candidates().get(0).scored()).hasSize(2);
        assertThat(result.candidates().get(1).scored()).hasSize(4);
        assertThat(result.testRows()).isEqualTo(60);
        assertThat(result.evaluation().auc()).isGreaterThan(0.6);
        assertThat(result.heldOutByAlgorithm()).containsKeys(Algorithm.LOGISTIC_REGRESSION, Algorithm.XGBOOST);
        assertThat(result.subgroups().groups()).extracting(g -> g.group()).contains("F", "M", "<50", ">=50");
        assertThat(result.reference()).hasSize(30);
        CandidateResult winner = result.candidates().stream().filter(c -> c.algorithm() == result.algorithm()).findFirst().orElseThrow();
        assertThat(result.candidates()).allMatch(c -> c.bestScore() <= winner.bestScore());
    }

    @Test
    void givenTestRowsAreTheHeldOutSplitAndEveryOtherRowTrains() {
        List<Integer> testRows = IntStream.range(0, DATA.size()).filter(r -> r % 4 == 1).boxed().toList();
        TrainingRequest request = new TrainingRequest("cvd", List.of(Algorithm.LOGISTIC_REGRESSION), null, null, 3, null,
                7L, null, SMALL_GRIDS, testRows);

        TrainingResult result = new TrainingPipeline(WORKERS, 0.1, 5, 30).train(DATA, request, new Progress());

        int[] rows = testRows.stream().mapToInt(Integer::intValue).toArray();
        double[] p = Examples.probabilities(result.model(), DATA, rows, result.schema(), MissingValues.IMPUTE);
        assertThat(result.testRows()).isEqualTo(60);
        assertThat(result.trainRows()).isEqualTo(180);
        assertThat(result.evaluation().auc())
                .isEqualTo(BinaryMetrics.evaluate(Examples.outcomes(DATA, rows), p, TrainingPipeline.THRESHOLD).auc());
        assertThat(result.evaluation().positives()).isEqualTo((int) testRows.stream().filter(DATA::outcome).count());
    }

    @Test
    void testRowsOutsideTheDatasetOrWithOneOutcomeAreRefused() {
        List<Integer> beyond = List.of(1, 2, DATA.size());
        List<Integer> negativesOnly = IntStream.range(0, DATA.size()).filter(r -> !DATA.outcome(r)).limit(20).boxed().toList();

        assertThatThrownBy(() -> train(beyond)).isInstanceOf(DatasetException.class).hasMessageContaining("row " + DATA.size());
        assertThatThrownBy(() -> train(negativesOnly)).isInstanceOf(DatasetException.class).hasMessageContaining("both outcomes");
        assertThatThrownBy(() -> train(List.of(3, 3))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("distinct");
        assertThatThrownBy(() -> train(List.of(-1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("distinct");
    }

    private static TrainingResult train(List<Integer> testRows) {
        return new TrainingPipeline(WORKERS, 0.1, 5, 30).train(DATA, new TrainingRequest("cvd",
                List.of(Algorithm.LOGISTIC_REGRESSION), null, null, 3, null, 7L, null, SMALL_GRIDS, testRows), new Progress());
    }

    @Test
    void randomSearchDrawsTheRequestedNumberOfCandidatesRepeatably() {
        var grid = Algorithm.RANDOM_FOREST.defaultGrid();
        var first = HyperparameterSearch.candidates(grid, SearchStrategy.RANDOM, 3, 1);

        assertThat(first).hasSize(3).isEqualTo(HyperparameterSearch.candidates(grid, SearchStrategy.RANDOM, 3, 1));
        assertThat(HyperparameterSearch.candidates(grid, SearchStrategy.GRID, 3, 1)).hasSize(8);
    }

    @Test
    void aCancelledRunStopsWithCancellation() {
        TrainingRequest request = new TrainingRequest("cvd", List.of(Algorithm.LOGISTIC_REGRESSION), null, null, 3, null,
                null, null, SMALL_GRIDS);
        Progress progress = new Progress();
        progress.cancel();

        assertThatThrownBy(() -> new TrainingPipeline(WORKERS, 0.1, 5, 30).train(DATA, request, progress))
                .isInstanceOf(TrainingCancelledException.class);
    }
}
