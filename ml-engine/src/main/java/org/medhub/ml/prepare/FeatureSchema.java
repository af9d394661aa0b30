package org.medhub.ml.prepare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.medhub.ml.dataset.ColumnType;
import org.medhub.ml.dataset.Dataset;
import org.tribuo.Example;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;

/**
 * The inputs a model was trained on: names, types, categories, scaling and the ranges accepted at
 * prediction. Fitted on the training split only, saved with the model, and enforced on every request.
 * Encoding: numeric inputs are standardised per feature ({@code (x - mean) / sd}; a global
 * transformation over the one-hot columns would break, see PITFALLS); categorical inputs become one
 * 0/1 feature per category.
 *
 * @param version format version of this record as stored in the registry
 */
public record FeatureSchema(int version, List<Feature> features, String positiveClass, String negativeClass) {

    public static final int CURRENT_VERSION = 1;
    /** Share of the training span the accepted range extends beyond the observed minimum and maximum. */
    static final double RANGE_MARGIN = 0.1;

    public FeatureSchema {
        features = List.copyOf(features);
    }

    /** Fits the schema on the given rows of the dataset (the training split). */
    public static FeatureSchema fit(Dataset data, int[] rows) {
        List<Feature> features = new ArrayList<>();
        for (var column : data.columns()) {
            String name = column.name();
            boolean nullable = false;
            if (column.type() == ColumnType.NUMERIC) {
                double sum = 0;
                double sumSquares = 0;
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                int n = 0;
                for (int row : rows) {
                    Object value = data.rows().get(row).get(name);
                    if (value == null) {
                        nullable = true;
                        continue;
                    }
                    double x = (Double) value;
                    sum += x;
                    sumSquares += x * x;
                    min = Math.min(min, x);
                    max = Math.max(max, x);
                    n++;
                }
                double mean = n == 0 ? 0 : sum / n;
                double variance = n < 2 ? 0 : Math.max(0, (sumSquares - n * mean * mean) / (n - 1));
                double sd = variance > 1e-12 ? Math.sqrt(variance) : 1;
                List<Double> declared = data.spec().ranges().get(name);
                double span = n == 0 ? 0 : max - min;
                double low = declared != null ? declared.get(0) : n == 0 ? mean : min - RANGE_MARGIN * span;
                double high = declared != null ? declared.get(1) : n == 0 ? mean : max + RANGE_MARGIN * span;
                features.add(new Feature(name, ColumnType.NUMERIC, mean, sd, low, high, List.of(), nullable));
            } else {
                TreeSet<String> categories = new TreeSet<>();
                for (int row : rows) {
                    Object value = data.rows().get(row).get(name);
                    if (value == null) {
                        nullable = true;
                    } else {
                        categories.add((String) value);
                    }
                }
                features.add(new Feature(name, ColumnType.CATEGORICAL, 0, 1, 0, 0, List.copyOf(categories), nullable));
            }
        }
        return new FeatureSchema(CURRENT_VERSION, features, data.positiveClass(), data.negativeClass());
    }

    public Feature feature(String name) {
        return features.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
    }

    public List<String> names() {
        return features.stream().map(Feature::name).toList();
    }

    /** Every encoded feature name, in schema order. */
    public List<String> encodedNames() {
        return features.stream().flatMap(f -> f.encodedNames().stream()).toList();
    }

    /**
     * Checks a prediction input: every feature present (an explicit {@code null} only where the
     * training data had missing values), no unknown names, numbers for numeric features within the
     * accepted range, known categories for categorical ones. Returns the values typed as the
     * dataset holds them ({@code Double}, {@code String} or {@code null}).
     *
     * @throws SchemaViolationException naming the first offending field
     */
    public Map<String, Object> validate(Map<String, ?> input) {
        if (input == null) {
            throw new SchemaViolationException("features", "the request has no features");
        }
        for (String name : input.keySet()) {
            if (feature(name) == null) {
                throw new SchemaViolationException(name, "unknown feature '" + name + "'; the model expects " + names());
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Feature feature : features) {
            String name = feature.name();
            if (!input.containsKey(name)) {
                throw new SchemaViolationException(name, "feature '" + name + "' is missing");
            }
            Object value = input.get(name);
            if (value == null) {
                if (!feature.nullable()) {
                    throw new SchemaViolationException(name, "feature '" + name + "' must have a value");
                }
                values.put(name, null);
            } else if (feature.type() == ColumnType.NUMERIC) {
                if (!(value instanceof Number number)) {
                    throw new SchemaViolationException(name, "feature '" + name + "' must be a number, got " + describe(value));
                }
                double x = number.doubleValue();
                if (!Double.isFinite(x) || x < feature.min() || x > feature.max()) {
                    throw new SchemaViolationException(name, "feature '" + name + "' = " + x + " is outside the accepted range ["
                            + feature.min() + ", " + feature.max() + "]");
                }
                values.put(name, x);
            } else {
                if (!(value instanceof String text)) {
                    throw new SchemaViolationException(name, "feature '" + name + "' must be a string, got " + describe(value));
                }
                if (!feature.categories().contains(text)) {
                    throw new SchemaViolationException(name, "feature '" + name + "' = '" + text + "' is not one of "
                            + feature.categories());
                }
                values.put(name, text);
            }
        }
        return values;
    }

    private static String describe(Object value) {
        return value instanceof String ? "the string '" + value + "'" : value.getClass().getSimpleName().toLowerCase() + " " + value;
    }

    /**
     * The model's view of validated values. Unknown categories (possible only for rows of the test
     * split) encode as all zeros, like a missing one.
     */
    public Example<Label> encode(Map<String, Object> values, MissingValues missing, Label label) {
        List<String> names = new ArrayList<>();
        List<Double> encoded = new ArrayList<>();
        for (Feature feature : features) {
            Object value = values.get(feature.name());
            if (feature.type() == ColumnType.NUMERIC) {
                if (value != null) {
                    names.add(feature.name());
                    encoded.add(((Double) value - feature.center()) / feature.scale());
                } else if (missing == MissingValues.IMPUTE) {
                    names.add(feature.name());
                    encoded.add(0.0);
                }
            } else {
                for (String category : feature.categories()) {
                    names.add(feature.oneHotName(category));
                    encoded.add(category.equals(value) ? 1.0 : 0.0);
                }
            }
        }
        double[] array = new double[encoded.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = encoded.get(i);
        }
        return new ArrayExample<>(label, names.toArray(String[]::new), array);
    }
}
