package org.medhub.ml.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.medhub.ml.SyntheticCsv;
import org.medhub.ml.dataset.CsvDatasets;
import org.medhub.ml.dataset.Dataset;
import org.medhub.ml.dataset.DatasetSpec;
import org.medhub.ml.prepare.FeatureSchema;
import org.medhub.ml.prepare.Splits;
import org.medhub.ml.train.Algorithm;
import org.medhub.ml.train.Examples;
import org.medhub.ml.train.TrainingPipeline;
import org.tribuo.Model;
import org.tribuo.classification.Label;

@TestInstance(Lifecycle.PER_CLASS)
class ShapLocalAccuracyTest {

    private static final Map<Algorithm, Map<String, Double>> SMALL = Map.of(
            Algorithm.LOGISTIC_REGRESSION, Map.of("learningRate", 0.2, "epochs", 10.0),
            Algorithm.RANDOM_FOREST, Map.of("trees", 10.0, "maxDepth", 4.0, "featureFraction", 0.5),
            Algorithm.EXTRA_TREES, Map.of("trees", 10.0, "maxDepth", 4.0),
            Algorithm.XGBOOST, Map.of("trees", 20.0, "eta", 0.3, "maxDepth", 3.0));

    Dataset data;
    Splits.TrainTest split;
    FeatureSchema schema;
    List<Map<String, Object>> reference;

    @BeforeAll
    void data() {
        data = CsvDatasets.read(SyntheticCsv.cohort(240, 11), new DatasetSpec("event", "yes", null, List.of("id"), null, null));
        split = Splits.trainTest(data.outcomes(), 0.25, 5);
        schema = FeatureSchema.fit(data, split.train());
        reference = java.util.Arrays.stream(split.train()).limit(20).mapToObj(r -> data.rows().get(r)).toList();
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void shapValuesAddUpToTheModelOutputAndTheOutputIsTheModelsPrediction(Algorithm algorithm) {
        Model<Label> model = TrainingPipeline.fit(data, split.train(), schema, algorithm, SMALL.get(algorithm), 3);
        ShapExplainer explainer = Explainers.shap(model, schema, algorithm.missingValues(), reference, 1);

        for (int i = 0; i < 8; i++) {
            Map<String, Object> row = data.rows().get(split.test()[i]);
            ShapExplanation shap = explainer.explain(row);
            double p = Examples.probability(model, schema, algorithm.missingValues(), row);

            assertThat(shap.localAccuracyError()).as("local accuracy of %s", shap).isLessThan(1e-6);
            assertThat(shap.contributions().keySet()).containsExactlyElementsOf(schema.names());
            double output = shap.outputSpace().equals("log-odds") ? 1 / (1 + Math.exp(-shap.modelOutput())) : shap.modelOutput();
            assertThat(output).as("model output of %s", algorithm).isCloseTo(p, within(1e-5));
        }
        assertThat(shap(algorithm).method()).isEqualTo(switch (algorithm) {
            case LOGISTIC_REGRESSION -> "linear";
            case XGBOOST -> "tree";
            default -> "kernel";
        });
    }

    @ParameterizedTest
    @EnumSource(value = Algorithm.class, names = {"LOGISTIC_REGRESSION", "XGBOOST"})
    void limeReturnsWeightsForTheSameInputFeatures(Algorithm algorithm) {
        Model<Label> model = TrainingPipeline.fit(data, split.train(), schema, algorithm, SMALL.get(algorithm), 3);
        Map<String, Double> weights = LimeExplainer.explain(model, schema, algorithm.missingValues(),
                data.rows().get(split.test()[0]), 9);

        assertThat(weights.keySet()).containsExactlyElementsOf(schema.names());
        assertThat(weights.values()).anyMatch(w -> w != 0);
    }

    private ShapExplanation shap(Algorithm algorithm) {
        Model<Label> model = TrainingPipeline.fit(data, split.train(), schema, algorithm, SMALL.get(algorithm), 3);
        return Explainers.shap(model, schema, algorithm.missingValues(), reference, 1).explain(data.rows().get(split.test()[0]));
    }
}
