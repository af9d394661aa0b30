package org.medhub.ml.train;

import java.util.List;
import java.util.Map;
import org.medhub.ml.request.InvalidRequestException;

/**
 * The work one training run may ask for, checked before the run is queued: every grid names exactly its
 * algorithm's hyperparameters, each value within {@link Algorithm#bound}; no grid expands to more than
 * {@code maxGridCombinations}; the candidates fitted across algorithms (all combinations for a grid
 * search, at most {@code randomCandidates} per algorithm for a random one) stay within
 * {@code maxCandidates}. A refusal is an {@link InvalidRequestException} (400) naming the limit.
 */
public record TrainingLimits(int maxCandidates, int maxGridCombinations) {

    public void check(TrainingRequest request) {
        request.grids().forEach(TrainingLimits::checkValues);
        if (request.search() == SearchStrategy.RANDOM && request.randomCandidates() > maxCandidates) {
            throw new InvalidRequestException("randomCandidates " + request.randomCandidates()
                    + " is above medhub.ml.max-candidates (" + maxCandidates + ")");
        }
        long candidates = 0;
        for (Algorithm algorithm : request.algorithms()) {
            long combinations = combinations(request.gridOf(algorithm));
            if (combinations > maxGridCombinations) {
                throw new InvalidRequestException("the grid for " + algorithm + " has " + combinations
                        + " combinations; medhub.ml.max-grid-combinations allows " + maxGridCombinations);
            }
            candidates += request.search() == SearchStrategy.RANDOM
                    ? Math.min(combinations, request.randomCandidates())
                    : combinations;
        }
        if (candidates > maxCandidates) {
            throw new InvalidRequestException("the run would fit " + candidates
                    + " hyperparameter candidates; medhub.ml.max-candidates allows " + maxCandidates);
        }
    }

    private static void checkValues(Algorithm algorithm, Map<String, List<Double>> grid) {
        if (!grid.keySet().equals(algorithm.defaultGrid().keySet())) {
            throw new InvalidRequestException("the grid for " + algorithm + " must set exactly "
                    + algorithm.defaultGrid().keySet());
        }
        grid.forEach((name, values) -> {
            Algorithm.Bound bound = algorithm.bound(name);
            if (values == null || values.isEmpty() || !values.stream().allMatch(bound::admits)) {
                throw new InvalidRequestException("grid " + algorithm + "." + name + " needs values from "
                        + bound + ", got " + values);
            }
        });
    }

    /** The size of the grid's cross product, saturated (well above any limit) instead of overflowing. */
    private static long combinations(Map<String, List<Double>> grid) {
        long saturated = Long.MAX_VALUE / Integer.MAX_VALUE;
        long product = 1;
        for (List<Double> values : grid.values()) {
            product = Math.min(saturated, product * values.size());
        }
        return product;
    }
}
