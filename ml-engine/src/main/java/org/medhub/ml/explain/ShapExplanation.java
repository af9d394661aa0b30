package org.medhub.ml.explain;

import java.util.Map;

/**
 * SHAP values of one prediction, one per input feature (one-hot columns summed back to their input).
 * Local accuracy: {@code baseValue + sum(contributions) == modelOutput} in {@code outputSpace}.
 *
 * @param method {@code linear} (closed form), {@code tree} (XGBoost's TreeSHAP) or {@code kernel} (KernelSHAP)
 * @param outputSpace {@code log-odds} or {@code probability}
 */
public record ShapExplanation(
        String method, String outputSpace, double baseValue, double modelOutput, Map<String, Double> contributions) {

    public double localAccuracyError() {
        double sum = baseValue;
        for (double c : contributions.values()) {
            sum += c;
        }
        return Math.abs(sum - modelOutput);
    }
}
