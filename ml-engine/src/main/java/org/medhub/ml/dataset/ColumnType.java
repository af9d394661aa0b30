package org.medhub.ml.dataset;

/** How a column's values are read and, later, encoded. */
public enum ColumnType {
    /** Real numbers; scaled before training. */
    NUMERIC,
    /** A small set of labels; one-hot encoded before training. */
    CATEGORICAL
}
