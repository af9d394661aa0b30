package org.medhub.ml.train;

import java.util.List;
import java.util.Map;

/** One algorithm's search: every hyperparameter set's mean cross-validation score, and the chosen one. */
public record CandidateResult(
        Algorithm algorithm, Map<String, Double> bestHyperparameters, double bestScore, List<Scored> scored) {

    public record Scored(Map<String, Double> hyperparameters, double meanScore, double[] foldScores) {}
}
