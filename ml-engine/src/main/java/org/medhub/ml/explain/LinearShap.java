package org.medhub.ml.explain;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.medhub.ml.prepare.FeatureSchema;
import org.medhub.ml.prepare.MissingValues;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.math.la.DenseMatrix;

/**
 * Exact SHAP for the logistic regression, in log-odds: with the two-class softmax the log-odds are
 * {@code d·x + c} where {@code d} is the difference of the two label weight rows, so under feature
 * independence the value of column {@code j} is {@code d_j (x_j - E[x_j])}, the expectation taken
 * over the reference sample, and the base value is {@code d·E[x] + c}.
 */
final class LinearShap implements ShapExplainer {

    private final FeatureSchema schema;
    private final ImmutableFeatureMap featureMap;
    private final double[] difference;
    private final double intercept;
    private final double[] expected;

    LinearShap(LinearSGDModel model, FeatureSchema schema, List<Map<String, Object>> reference) {
        this.schema = schema;
        this.featureMap = model.getFeatureIDMap();
        DenseMatrix weights = model.getWeightsCopy();
        int positive = model.getOutputIDInfo().getID(new Label(schema.positiveClass()));
        int negative = model.getOutputIDInfo().getID(new Label(schema.negativeClass()));
        int features = featureMap.size();
        difference = new double[features];
        for (int j = 0; j < features; j++) {
            difference[j] = weights.get(positive, j) - weights.get(negative, j);
        }
        // Tribuo appends the bias as the last column of the weight matrix.
        intercept = weights.get(positive, features) - weights.get(negative, features);
        expected = new double[features];
        for (Map<String, Object> row : reference) {
            double[] x = dense(row);
            for (int j = 0; j < features; j++) {
                expected[j] += x[j] / reference.size();
            }
        }
    }

    private double[] dense(Map<String, Object> values) {
        Example<Label> example = schema.encode(values, MissingValues.IMPUTE, LabelFactory.UNKNOWN_LABEL);
        double[] x = new double[featureMap.size()];
        for (Feature f : example) {
            int id = featureMap.getID(f.getName());
            if (id >= 0) {
                x[id] = f.getValue();
            }
        }
        return x;
    }

    @Override
    public ShapExplanation explain(Map<String, Object> values) {
        double[] x = dense(values);
        double base = intercept;
        double output = intercept;
        Map<String, Double> encoded = new HashMap<>();
        for (int j = 0; j < x.length; j++) {
            base += difference[j] * expected[j];
            output += difference[j] * x[j];
            encoded.put(featureMap.get(j).getName(), difference[j] * (x[j] - expected[j]));
        }
        return new ShapExplanation("linear", "log-odds", base, output, Contributions.byInput(schema, encoded));
    }
}
