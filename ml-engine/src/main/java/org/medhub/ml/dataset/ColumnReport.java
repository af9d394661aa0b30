package org.medhub.ml.dataset;

import java.util.List;

/**
 * What was found in one feature column, for the user to check an inferred type.
 *
 * @param inferred whether the type was inferred rather than declared
 * @param categories the distinct values of a categorical column (sorted), empty for numeric ones
 */
public record ColumnReport(
        String name, ColumnType type, boolean inferred, int missing, int distinct, Double min, Double max,
        List<String> categories) {}
