package org.medhub.ml.train;

import java.util.List;
import java.util.Map;
import org.medhub.ml.request.InvalidRequestException;

/**
 * What to train: the candidate algorithms, how their hyperparameters are searched, the split and the
 * metric that picks the winner. {@code null}s take the defaults.
 *
 * @param grids per-algorithm grids replacing the defaults (same hyperparameter names)
 * @param testRows the held-out rows (0-based data rows of the dataset) instead of the seeded
 *     stratified split, so that another tool can be compared on exactly the same split; when set,
 *     {@code testFraction} is not used
 */
public record TrainingRequest(
        String modelName,
        List<Algorithm> algorithms,
        SearchStrategy search,
        Integer randomCandidates,
        Integer folds,
        Double testFraction,
        Long seed,
        SelectionMetric selectionMetric,
        Map<Algorithm, Map<String, List<Double>>> grids,
        List<Integer> testRows) {

    /** Model names: lower-case letters, digits and '-', 1-63 characters (they appear in URLs). */
    public static final String MODEL_NAME = "[a-z0-9][a-z0-9-]{0,62}";

    /** A request with the seeded stratified split. */
    public TrainingRequest(String modelName, List<Algorithm> algorithms, SearchStrategy search,
            Integer randomCandidates, Integer folds, Double testFraction, Long seed, SelectionMetric selectionMetric,
            Map<Algorithm, Map<String, List<Double>>> grids) {
        this(modelName, algorithms, search, randomCandidates, folds, testFraction, seed, selectionMetric, grids, null);
    }

    public TrainingRequest {
        algorithms = algorithms == null || algorithms.isEmpty()
                ? List.of(Algorithm.LOGISTIC_REGRESSION, Algorithm.RANDOM_FOREST, Algorithm.XGBOOST)
                : List.copyOf(algorithms);
        search = search == null ? SearchStrategy.GRID : search;
        randomCandidates = randomCandidates == null ? 4 : randomCandidates;
        folds = folds == null ? 5 : folds;
        testFraction = testFraction == null ? 0.25 : testFraction;
        seed = seed == null ? 42L : seed;
        selectionMetric = selectionMetric == null ? SelectionMetric.AUC : selectionMetric;
        grids = grids == null ? Map.of() : Map.copyOf(grids);
        testRows = testRows == null ? null : List.copyOf(testRows);
        if (modelName == null || !modelName.matches(MODEL_NAME)) {
            throw new InvalidRequestException("modelName must be lower-case letters, digits and '-' (1-63 characters)");
        }
        if (folds < 2 || folds > 20) {
            throw new InvalidRequestException("folds must be between 2 and 20");
        }
        if (testFraction <= 0.05 || testFraction >= 0.9) {
            throw new InvalidRequestException("testFraction must be between 0.05 and 0.9");
        }
        if (randomCandidates < 1) {
            throw new InvalidRequestException("randomCandidates must be at least 1");
        }
        if (testRows != null && (testRows.isEmpty() || testRows.stream().anyMatch(r -> r < 0)
                || testRows.stream().distinct().count() < testRows.size())) {
            throw new InvalidRequestException("testRows must be distinct row numbers (0 = the first data row), at least one");
        }
    }

    public Map<String, List<Double>> gridOf(Algorithm algorithm) {
        return grids.getOrDefault(algorithm, algorithm.defaultGrid());
    }
}
