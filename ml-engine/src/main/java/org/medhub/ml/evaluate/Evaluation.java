package org.medhub.ml.evaluate;

import java.util.List;

/**
 * The metrics of a binary classifier on one set of examples. Threshold-based metrics use
 * {@link #threshold}. {@code auc} and {@code averagePrecision} are {@code null} when only one class is
 * present.
 */
public record Evaluation(
        int count, int positives, double threshold,
        Double auc, Double averagePrecision, double accuracy, double precision, double recall, double f1,
        double brier, int truePositives, int falsePositives, int trueNegatives, int falseNegatives,
        Curve roc, Curve precisionRecall, List<CalibrationBin> calibration) {

    public double truePositiveRate() {
        return ratio(truePositives, truePositives + falseNegatives);
    }

    public double falsePositiveRate() {
        return ratio(falsePositives, falsePositives + trueNegatives);
    }

    /** Calibration-in-the-large: mean predicted risk minus observed rate. */
    public double calibrationError() {
        double mean = 0;
        for (CalibrationBin bin : calibration) {
            mean += bin.count() * (bin.meanPredicted() - bin.observedRate());
        }
        return count == 0 ? 0 : mean / count;
    }

    static double ratio(double numerator, double denominator) {
        return denominator == 0 ? 0 : numerator / denominator;
    }
}
