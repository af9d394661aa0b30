package org.medhub.ml.dataset;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A validated table of features and a binary outcome. Feature values are {@code Double} for numeric
 * columns, {@code String} for categorical ones and {@code null} when missing. Immutable.
 *
 * @param fingerprint SHA-256 of the source bytes, carried into the provenance of every model trained on it
 */
public record Dataset(
        DatasetSpec spec,
        List<ColumnReport> columns,
        List<Map<String, Object>> rows,
        boolean[] outcomes,
        String positiveClass,
        String negativeClass,
        String fingerprint) {

    public Dataset {
        columns = List.copyOf(columns);
        rows = Collections.unmodifiableList(rows.stream().map(Collections::unmodifiableMap).toList());
        outcomes = outcomes.clone();
    }

    @Override
    public boolean[] outcomes() {
        return outcomes.clone();
    }

    public boolean outcome(int row) {
        return outcomes[row];
    }

    public int size() {
        return rows.size();
    }

    public int positives() {
        int count = 0;
        for (boolean outcome : outcomes) {
            if (outcome) {
                count++;
            }
        }
        return count;
    }

    public List<String> featureNames() {
        return columns.stream().map(ColumnReport::name).toList();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Dataset that && fingerprint.equals(that.fingerprint) && spec.equals(that.spec);
    }

    @Override
    public int hashCode() {
        return fingerprint.hashCode();
    }

    @Override
    public String toString() {
        return "Dataset[" + rows.size() + " rows, features " + featureNames() + ", outcomes "
                + Arrays.toString(new int[] {positives(), rows.size() - positives()}) + "]";
    }
}
