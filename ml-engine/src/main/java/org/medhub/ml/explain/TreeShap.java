package org.medhub.ml.explain;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.medhub.ml.prepare.FeatureSchema;
import org.medhub.ml.prepare.MissingValues;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.common.xgboost.XGBoostModel;

/**
 * Exact TreeSHAP from XGBoost itself ({@code Booster.predictContrib}). Tribuo trains two-class
 * models with {@code multi:softprob}, so the booster returns (features + 1) contributions per class in
 * margin space; the positive class's log-odds are the difference of the two margins, and so are its
 * SHAP values. The row is passed as Tribuo passes it: columns by Tribuo's feature ids, columns absent
 * from the example are missing (NaN), not 0.
 */
final class TreeShap implements ShapExplainer {

    private final FeatureSchema schema;
    private final ImmutableFeatureMap featureMap;
    private final Booster booster;
    private final int positive;
    private final int negative;

    TreeShap(XGBoostModel<Label> model, FeatureSchema schema) {
        this.schema = schema;
        this.featureMap = model.getFeatureIDMap();
        this.booster = model.getInnerModels().get(0);
        this.positive = model.getOutputIDInfo().getID(new Label(schema.positiveClass()));
        this.negative = model.getOutputIDInfo().getID(new Label(schema.negativeClass()));
    }

    @Override
    public ShapExplanation explain(Map<String, Object> values) {
        Example<Label> example = schema.encode(values, MissingValues.ABSENT, LabelFactory.UNKNOWN_LABEL);
        int width = featureMap.size();
        float[] row = new float[width];
        Arrays.fill(row, Float.NaN);
        for (Feature f : example) {
            int id = featureMap.getID(f.getName());
            if (id >= 0) {
                row[id] = (float) f.getValue();
            }
        }
        try {
            DMatrix matrix = new DMatrix(row, 1, width, Float.NaN);
            try {
                float[] contributions;
                float[] margins;
                synchronized (booster) {
                    contributions = booster.predictContrib(matrix, 0)[0];
                    margins = booster.predict(matrix, true)[0];
                }
                int stride = width + 1;
                Map<String, Double> encoded = new HashMap<>();
                for (int j = 0; j < width; j++) {
                    encoded.put(featureMap.get(j).getName(),
                            (double) contributions[positive * stride + j] - contributions[negative * stride + j]);
                }
                double base = (double) contributions[positive * stride + width] - contributions[negative * stride + width];
                double output = (double) margins[positive] - margins[negative];
                return new ShapExplanation("tree", "log-odds", base, output, Contributions.byInput(schema, encoded));
            } finally {
                matrix.dispose();
            }
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost could not explain the prediction: " + e.getMessage(), e);
        }
    }
}
