package org.medhub.ml.dataset;

import java.util.List;

/**
 * What was found in one feature column, for the user to check an inferred type.
 *
 * @param inferred whether the type was inferred rather than declared
 * @param missing rows without a value; {@code null} when withheld from the caller as a small cell
 * @param min the smallest value, {@code null} when the column is categorical or the range is withheld
 * @param categories the distinct values of a categorical column (sorted), empty for numeric ones
 */
public record ColumnReport(
        String name, ColumnType type, boolean inferred, Integer missing, int distinct, Double min, Double max,
        List<String> categories) {}
