package org.medhub.ml.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
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

class KernelShapTest {

    @Test
    void withEveryCoalitionEnumeratedKernelShapEqualsTheShapleyValuesByDefinition() {
        Dataset data = CsvDatasets.read(SyntheticCsv.cohort(150, 8), new DatasetSpec("event", "yes", null, List.of("id"), null, null));
        Splits.TrainTest split = Splits.trainTest(data.outcomes(), 0.25, 2);
        FeatureSchema schema = FeatureSchema.fit(data, split.train());
        Model<Label> forest = TrainingPipeline.fit(data, split.train(), schema, Algorithm.RANDOM_FOREST,
                Map.of("trees", 10.0, "maxDepth", 4.0, "featureFraction", 0.5), 1);
        List<Map<String, Object>> reference = java.util.Arrays.stream(split.train()).limit(8)
                .mapToObj(r -> data.rows().get(r)).toList();
        Map<String, Object> x = data.rows().get(split.test()[0]);

        ShapExplanation kernel = new KernelShap(forest, schema, Algorithm.RANDOM_FOREST.missingValues(), reference,
                10_000, 1).explain(x);

        List<String> names = schema.names();
        int m = names.size();
        for (int i = 0; i < m; i++) {
            double phi = 0;
            for (int mask = 0; mask < 1 << m; mask++) {
                if ((mask >> i & 1) == 1) {
                    continue;
                }
                int size = Integer.bitCount(mask);
                double weight = factorial(size) * factorial(m - size - 1) / factorial(m);
                phi += weight * (value(forest, schema, x, reference, mask | 1 << i) - value(forest, schema, x, reference, mask));
            }
            assertThat(kernel.contributions().get(names.get(i))).as(names.get(i)).isCloseTo(phi, within(1e-9));
        }
        assertThat(kernel.baseValue()).isCloseTo(value(forest, schema, x, reference, 0), within(1e-12));
    }

    /** Mean prediction with the features in {@code mask} from {@code x} and the rest from each reference row. */
    private static double value(Model<Label> model, FeatureSchema schema, Map<String, Object> x,
            List<Map<String, Object>> reference, int mask) {
        double sum = 0;
        for (Map<String, Object> row : reference) {
            Map<String, Object> hybrid = new HashMap<>();
            for (int j = 0; j < schema.names().size(); j++) {
                String name = schema.names().get(j);
                hybrid.put(name, (mask >> j & 1) == 1 ? x.get(name) : row.get(name));
            }
            sum += Examples.probability(model, schema, Algorithm.RANDOM_FOREST.missingValues(), hybrid);
        }
        return sum / reference.size();
    }

    private static double factorial(int n) {
        double f = 1;
        for (int i = 2; i <= n; i++) {
            f *= i;
        }
        return f;
    }
}
