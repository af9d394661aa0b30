package org.medhub.ml.predict;

import java.util.Map;
import org.medhub.ml.explain.ShapExplanation;
import org.medhub.ml.registry.DeployedModel;
import org.medhub.ml.registry.ModelRegistry;
import org.medhub.ml.registry.ModelVersion;
import org.medhub.ml.train.Examples;

/**
 * Predictions and SHAP explanations of registered models, for {@code /ml/api} and for modules that
 * call the engine in-process (CDS Hooks). Inputs are checked against the version's feature schema;
 * callers check roles and write the audit record.
 */
public final class Predictions {

    private final ModelRegistry registry;

    public Predictions(ModelRegistry registry) {
        this.registry = registry;
    }

    /**
     * A request checked against its model's schema, with the model's probability of the positive class.
     *
     * @param values the validated inputs, typed as the schema holds them
     */
    public record Scored(DeployedModel model, Map<String, Object> values, double probability) {

        public ModelVersion version() {
            return model.version();
        }
    }

    /**
     * Scores {@code features} with version {@code version} of model {@code name} (the active one when null).
     *
     * @throws org.medhub.ml.prepare.SchemaViolationException naming the first input that does not fit
     * @throws org.medhub.ml.registry.NotFoundException when there is no such model or version
     */
    public Scored score(String name, Integer version, Map<String, ?> features) {
        ModelVersion target = version == null ? registry.active(name) : registry.version(name, version);
        DeployedModel model = registry.deployed(target);
        Map<String, Object> values = model.schema().validate(features);
        return new Scored(model, values,
                Examples.probability(model.model(), model.schema(), model.missingValues(), values));
    }

    /** The SHAP values of a scored request (one per input feature). */
    public ShapExplanation explain(Scored scored) {
        return scored.model().shap().explain(scored.values());
    }
}
