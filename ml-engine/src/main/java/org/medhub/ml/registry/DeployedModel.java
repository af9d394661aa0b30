package org.medhub.ml.registry;

import java.util.List;
import java.util.Map;
import org.medhub.ml.explain.Explainers;
import org.medhub.ml.explain.ShapExplainer;
import org.medhub.ml.prepare.FeatureSchema;
import org.medhub.ml.prepare.MissingValues;
import org.tribuo.Model;
import org.tribuo.classification.Label;

/** A registered version loaded for predictions: the Tribuo model, its schema and its SHAP explainer. */
public record DeployedModel(
        ModelVersion version, Model<Label> model, FeatureSchema schema, MissingValues missingValues,
        List<Map<String, Object>> reference, ShapExplainer shap) {

    static DeployedModel of(ModelVersion version, Model<Label> model, FeatureSchema schema, MissingValues missing,
            List<Map<String, Object>> reference) {
        return new DeployedModel(version, model, schema, missing, reference,
                Explainers.shap(model, schema, missing, reference, version.id().getLeastSignificantBits()));
    }
}
