package org.medhub.ml.prepare;

/** What an encoded example holds where a value is missing; each algorithm picks what it handles best. */
public enum MissingValues {
    /** The training mean of a numeric feature (0 after scaling); no category for a categorical one. */
    IMPUTE,
    /** The numeric feature is left out of the example; XGBoost learns a default branch for such values. */
    ABSENT
}
