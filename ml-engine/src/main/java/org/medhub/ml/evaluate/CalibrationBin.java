package org.medhub.ml.evaluate;

/**
 * One bin of a calibration (reliability) curve: predictions in {@code [lower, upper)} (the last bin
 * includes 1), their mean, and the observed share of positives among them.
 */
public record CalibrationBin(double lower, double upper, int count, double meanPredicted, double observedRate) {}
