package org.medhub.ml;

import java.util.List;
import java.util.Map;
import org.medhub.ml.explain.ShapExplanation;
import org.medhub.ml.predict.Predictions;
import org.medhub.ml.predict.Predictions.Scored;
import org.medhub.ml.prepare.Feature;
import org.medhub.ml.registry.ModelRegistry;
import org.medhub.ml.registry.ModelVersion;

/**
 * The ML engine's Java API for the modules that run it in-process (cds-hooks): which versions serve,
 * the inputs the active version takes, and a prediction with its explanation. The registry, the
 * deployed Tribuo models and the training pipeline stay behind it. As on {@code /ml/api}, inputs are
 * checked against the version's feature schema; callers check roles and write the audit record.
 */
public final class MlEngine {

    private final ModelRegistry registry;
    private final Predictions predictions;

    MlEngine(ModelRegistry registry, Predictions predictions) {
        this.registry = registry;
        this.predictions = predictions;
    }

    /** The version of a model that serves decision support, and the inputs it takes. */
    public record ActiveModel(ModelVersion version, List<Feature> features) {

        public ActiveModel {
            features = List.copyOf(features);
        }

        /** The input called {@code name}; the feature schema holds each name once. */
        public Feature feature(String name) {
            return features.stream().filter(f -> f.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("model " + version.name() + " has no input " + name));
        }
    }

    /**
     * A version's probability of the positive class for one set of inputs, with its SHAP values.
     *
     * @param probability a fraction (0..1)
     */
    public record Prediction(ModelVersion version, double probability, ShapExplanation explanation) {}

    /** The active versions, at most one per model name. */
    public List<ModelVersion> activeVersions() {
        return registry.list(null).stream().filter(ModelVersion::active).toList();
    }

    /** @throws org.medhub.ml.registry.NotFoundException when no version of {@code name} is active */
    public ActiveModel activeModel(String name) {
        ModelVersion version = registry.active(name);
        return new ActiveModel(version, registry.deployed(version).schema().features());
    }

    /**
     * Scores and explains {@code inputs} with {@code version}.
     *
     * @throws org.medhub.ml.prepare.SchemaViolationException naming the first input that does not fit
     * @throws org.medhub.ml.registry.NotFoundException when the version is gone
     */
    public Prediction predict(ModelVersion version, Map<String, ?> inputs) {
        Scored scored = predictions.score(version.name(), version.version(), inputs);
        return new Prediction(scored.version(), scored.probability(), predictions.explain(scored));
    }
}
