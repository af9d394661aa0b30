package org.medhub.ml.train;

import org.medhub.ml.evaluate.Evaluation;

/** The metric that picks the best candidate (from its cross-validation score). */
public enum SelectionMetric {
    AUC(true),
    AVERAGE_PRECISION(true),
    BRIER(false),
    F1(true),
    ACCURACY(true);

    private final boolean higherIsBetter;

    SelectionMetric(boolean higherIsBetter) {
        this.higherIsBetter = higherIsBetter;
    }

    public double of(Evaluation e) {
        return switch (this) {
            case AUC -> e.auc() == null ? 0.5 : e.auc();
            case AVERAGE_PRECISION -> e.averagePrecision() == null ? 0 : e.averagePrecision();
            case BRIER -> e.brier();
            case F1 -> e.f1();
            case ACCURACY -> e.accuracy();
        };
    }

    /** Whether score {@code a} beats score {@code b}. */
    public boolean better(double a, double b) {
        return higherIsBetter ? a > b : a < b;
    }
}
