package org.medhub.ml.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
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

class ModelFilesTest {

    private static final Dataset DATA =
            CsvDatasets.read(SyntheticCsv.cohort(120, 2), new DatasetSpec("event", "yes", null, List.of("id"), null, null));

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void aStoredModelReadsBackWithTheSamePredictionsAndProvenance(Algorithm algorithm) {
        Splits.TrainTest split = Splits.trainTest(DATA.outcomes(), 0.25, 1);
        FeatureSchema schema = FeatureSchema.fit(DATA, split.train());
        Map<String, Double> smallest = new java.util.HashMap<>();
        algorithm.defaultGrid().forEach((name, values) -> smallest.put(name, values.get(0)));
        Model<Label> model = TrainingPipeline.fit(DATA, split.train(), schema, algorithm, smallest, 4);

        Model<Label> read = ModelFiles.read(ModelFiles.FORMAT_TRIBUO_PROTOBUF, ModelFiles.write(model));

        assertThat(read.getProvenance()).isEqualTo(model.getProvenance());
        for (int row : split.test()) {
            Map<String, Object> values = DATA.rows().get(row);
            assertThat(Examples.probability(read, schema, algorithm.missingValues(), values))
                    .isCloseTo(Examples.probability(model, schema, algorithm.missingValues(), values), within(1e-9));
        }
    }
}
