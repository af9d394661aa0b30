package org.medhub.ml.evaluate;

import java.util.ArrayList;
import java.util.List;
import org.tribuo.classification.evaluation.LabelEvaluationUtil;

/**
 * Metrics of predicted probabilities against outcomes. AUC, the ROC and precision-recall curves and
 * average precision come from Tribuo ({@link LabelEvaluationUtil}); Tribuo has no Brier score or
 * calibration curve, so those are computed here.
 */
public final class BinaryMetrics {

    public static final int CALIBRATION_BINS = 10;

    private BinaryMetrics() {}

    public static Evaluation evaluate(boolean[] outcomes, double[] probabilities, double threshold) {
        if (outcomes.length != probabilities.length) {
            throw new IllegalArgumentException("outcomes and probabilities differ in length");
        }
        int tp = 0;
        int fp = 0;
        int tn = 0;
        int fn = 0;
        for (int i = 0; i < outcomes.length; i++) {
            boolean predicted = probabilities[i] >= threshold;
            if (predicted && outcomes[i]) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (outcomes[i]) {
                fn++;
            } else {
                tn++;
            }
        }
        int n = outcomes.length;
        int positives = tp + fn;
        boolean bothClasses = positives > 0 && positives < n;
        Double auc = null;
        Double averagePrecision = null;
        Curve roc = new Curve(new double[0], new double[0], new double[0]);
        Curve pr = roc;
        if (bothClasses) {
            auc = LabelEvaluationUtil.binaryAUCROC(outcomes, probabilities);
            averagePrecision = LabelEvaluationUtil.averagedPrecision(outcomes, probabilities);
            LabelEvaluationUtil.ROC tribuoRoc = LabelEvaluationUtil.generateROCCurve(outcomes, probabilities);
            roc = new Curve(tribuoRoc.fpr, tribuoRoc.tpr, tribuoRoc.thresholds);
            LabelEvaluationUtil.PRCurve tribuoPr = LabelEvaluationUtil.generatePRCurve(outcomes, probabilities);
            pr = new Curve(tribuoPr.recall, tribuoPr.precision, tribuoPr.thresholds);
        }
        double precision = Evaluation.ratio(tp, tp + fp);
        double recall = Evaluation.ratio(tp, tp + fn);
        double f1 = Evaluation.ratio(2 * precision * recall, precision + recall);
        return new Evaluation(n, positives, threshold, auc, averagePrecision, Evaluation.ratio(tp + tn, n),
                precision, recall, f1, brier(outcomes, probabilities), tp, fp, tn, fn, roc, pr,
                calibration(outcomes, probabilities, CALIBRATION_BINS));
    }

    /** Mean squared difference between predicted probability and outcome (0 or 1). */
    public static double brier(boolean[] outcomes, double[] probabilities) {
        double sum = 0;
        for (int i = 0; i < outcomes.length; i++) {
            double error = probabilities[i] - (outcomes[i] ? 1 : 0);
            sum += error * error;
        }
        return outcomes.length == 0 ? 0 : sum / outcomes.length;
    }

    /** Equal-width bins over [0, 1]; empty bins are left out. */
    public static List<CalibrationBin> calibration(boolean[] outcomes, double[] probabilities, int bins) {
        int[] counts = new int[bins];
        double[] predicted = new double[bins];
        int[] events = new int[bins];
        for (int i = 0; i < outcomes.length; i++) {
            int bin = Math.min(bins - 1, (int) Math.floor(probabilities[i] * bins));
            counts[bin]++;
            predicted[bin] += probabilities[i];
            events[bin] += outcomes[i] ? 1 : 0;
        }
        List<CalibrationBin> curve = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            if (counts[b] > 0) {
                curve.add(new CalibrationBin((double) b / bins, (double) (b + 1) / bins, counts[b],
                        predicted[b] / counts[b], (double) events[b] / counts[b]));
            }
        }
        return curve;
    }
}
