package org.medhub.ml.train;

/** How hyperparameter candidates are drawn from a grid. */
public enum SearchStrategy {
    /** Every combination. */
    GRID,
    /** A seeded sample of combinations, at most the configured number per algorithm. */
    RANDOM
}
