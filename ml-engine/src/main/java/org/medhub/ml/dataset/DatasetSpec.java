package org.medhub.ml.dataset;

import java.util.List;
import java.util.Map;

/**
 * What a CSV file means: which column is the outcome, which of its values is the positive class, the
 * types of the other columns (those not listed are inferred and reported), columns to leave out, the
 * allowed ranges of numeric inputs, and the attributes subgroup results are computed for.
 *
 * @param target the outcome column
 * @param positiveClass the outcome value counted as positive; blank infers it for 0/1, false/true, no/yes
 * @param columnTypes declared types; columns not named here are inferred
 * @param exclude columns that are not features (identifiers, free text)
 * @param ranges allowed {@code [min, max]} per numeric feature at prediction; others get the training range widened
 * @param subgroups attributes for the subgroup (bias) report
 */
public record DatasetSpec(
        String target,
        String positiveClass,
        Map<String, ColumnType> columnTypes,
        List<String> exclude,
        Map<String, List<Double>> ranges,
        List<Subgroup> subgroups) {

    public DatasetSpec {
        columnTypes = columnTypes == null ? Map.of() : Map.copyOf(columnTypes);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
        ranges = ranges == null ? Map.of() : Map.copyOf(ranges);
        subgroups = subgroups == null ? List.of() : List.copyOf(subgroups);
    }

    public static DatasetSpec of(String target, String positiveClass) {
        return new DatasetSpec(target, positiveClass, null, null, null, null);
    }

    /**
     * An attribute to compare groups by. Categorical columns group by value; numeric ones by bands
     * cut at {@code bandEdges} (e.g. {@code [40, 65]} gives {@code <40}, {@code 40-65}, {@code >=65}).
     */
    public record Subgroup(String column, List<Double> bandEdges) {

        public Subgroup {
            bandEdges = bandEdges == null ? List.of() : List.copyOf(bandEdges);
        }
    }
}
