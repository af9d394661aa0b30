package org.medhub.ml.evaluate;

/** A curve as parallel arrays: {@code x[i], y[i]} reached at {@code thresholds[i]}. */
public record Curve(double[] x, double[] y, double[] thresholds) {}
