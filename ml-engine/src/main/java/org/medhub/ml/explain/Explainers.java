package org.medhub.ml.explain;

import java.util.List;
import java.util.Map;
import org.medhub.ml.prepare.FeatureSchema;
import org.medhub.ml.prepare.MissingValues;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.common.xgboost.XGBoostModel;

/** Picks the exact SHAP method a model allows, KernelSHAP otherwise; and global importance. */
public final class Explainers {

    /** Model evaluations one KernelSHAP explanation may spend. */
    static final int KERNEL_BUDGET = 20_000;

    private Explainers() {}

    @SuppressWarnings("unchecked")
    public static ShapExplainer shap(Model<Label> model, FeatureSchema schema, MissingValues missing,
            List<Map<String, Object>> reference, long seed) {
        if (model instanceof LinearSGDModel linear) {
            return new LinearShap(linear, schema, reference);
        }
        if (model instanceof XGBoostModel<?> xgboost) {
            return new TreeShap((XGBoostModel<Label>) xgboost, schema);
        }
        return new KernelShap(model, schema, missing, reference, KERNEL_BUDGET, seed);
    }

    /** Mean absolute SHAP value per input feature over the given rows, largest first. */
    public static Map<String, Double> globalImportance(ShapExplainer explainer, FeatureSchema schema,
            List<Map<String, Object>> rows) {
        Map<String, Double> sums = new java.util.LinkedHashMap<>();
        schema.names().forEach(n -> sums.put(n, 0.0));
        for (Map<String, Object> row : rows) {
            explainer.explain(row).contributions().forEach((name, value) -> sums.merge(name, Math.abs(value), Double::sum));
        }
        Map<String, Double> importance = new java.util.LinkedHashMap<>();
        sums.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> importance.put(e.getKey(), rows.isEmpty() ? 0 : e.getValue() / rows.size()));
        return importance;
    }
}
