package org.medhub.ml.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medhub.ml.prepare.MissingValues;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.ensemble.FullyWeightedVotingCombiner;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.classification.xgboost.XGBoostClassificationTrainer;
import org.tribuo.common.tree.ExtraTreesTrainer;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.common.xgboost.XGBoostTrainer;
import org.tribuo.math.optimisers.AdaGrad;

/**
 * The candidate algorithms, each with its default hyperparameter grid and how it takes missing
 * values. All yield probabilities: the forests vote with {@link FullyWeightedVotingCombiner}; XGBoost
 * keeps Tribuo's two-class {@code multi:softprob} objective, whose two margins differ by exactly the
 * log-odds a {@code binary:logistic} model would give, because Tribuo's label converter reads a
 * single-column binary output as the score of the first label only.
 */
public enum Algorithm {
    LOGISTIC_REGRESSION(MissingValues.IMPUTE, grid("learningRate", List.of(0.05, 0.2, 1.0), "epochs", List.of(10.0, 30.0))) {
        @Override
        Trainer<Label> trainer(Map<String, Double> p, long seed) {
            return new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(p.get("learningRate")),
                    p.get("epochs").intValue(), seed);
        }
    },
    RANDOM_FOREST(MissingValues.IMPUTE, grid("trees", List.of(50.0, 100.0), "maxDepth", List.of(4.0, 8.0),
            "featureFraction", List.of(0.5, 0.8))) {
        @Override
        Trainer<Label> trainer(Map<String, Double> p, long seed) {
            var tree = new CARTClassificationTrainer(p.get("maxDepth").intValue(), p.get("featureFraction").floatValue(), seed);
            return new RandomForestTrainer<>(tree, new FullyWeightedVotingCombiner(), p.get("trees").intValue(), seed);
        }
    },
    EXTRA_TREES(MissingValues.IMPUTE, grid("trees", List.of(50.0, 100.0), "maxDepth", List.of(4.0, 8.0))) {
        @Override
        Trainer<Label> trainer(Map<String, Double> p, long seed) {
            var tree = new CARTClassificationTrainer(p.get("maxDepth").intValue(), 0.7f, true, seed);
            return new ExtraTreesTrainer<>(tree, new FullyWeightedVotingCombiner(), p.get("trees").intValue(), seed);
        }
    },
    XGBOOST(MissingValues.ABSENT, grid("trees", List.of(50.0, 100.0), "eta", List.of(0.1, 0.3), "maxDepth", List.of(3.0, 5.0))) {
        @Override
        Trainer<Label> trainer(Map<String, Double> p, long seed) {
            // One native thread per model: candidates already run in parallel across the cores.
            return new XGBoostClassificationTrainer(XGBoostTrainer.BoosterType.GBTREE, XGBoostTrainer.TreeMethod.AUTO,
                    p.get("trees").intValue(), p.get("eta"), 0, p.get("maxDepth").intValue(), 1, 1, 1, 1, 0, 1,
                    XGBoostTrainer.LoggingVerbosity.SILENT, seed);
        }
    };

    /**
     * What each hyperparameter may be set to in a grid. The upper ends keep one fit to seconds or minutes
     * on the demo's scale (a grid value such as {@code trees: 1e9} would hold a worker for days and fill
     * the heap); counts must be whole numbers, as the trainers take them as {@code int}.
     */
    private static final Map<String, Bound> BOUNDS = Map.of(
            "learningRate", new Bound(1e-6, 10, false),
            "epochs", new Bound(1, 200, true),
            "trees", new Bound(1, 500, true),
            "maxDepth", new Bound(1, 30, true),
            "featureFraction", new Bound(0.01, 1, false),
            "eta", new Bound(0.001, 1, false));

    /** The values a hyperparameter accepts: {@code min} to {@code max}, whole numbers only when {@code whole}. */
    public record Bound(double min, double max, boolean whole) {

        boolean admits(Double value) {
            return value != null && value >= min && value <= max && (!whole || value == Math.rint(value));
        }

        @Override
        public String toString() {
            return whole ? (long) min + " to " + (long) max + " (whole numbers)" : min + " to " + max;
        }
    }

    private final MissingValues missingValues;
    private final Map<String, List<Double>> defaultGrid;

    Algorithm(MissingValues missingValues, Map<String, List<Double>> defaultGrid) {
        this.missingValues = missingValues;
        this.defaultGrid = defaultGrid;
    }

    abstract Trainer<Label> trainer(Map<String, Double> hyperparameters, long seed);

    public MissingValues missingValues() {
        return missingValues;
    }

    public Map<String, List<Double>> defaultGrid() {
        return defaultGrid;
    }

    /** The range a hyperparameter of this algorithm accepts. */
    public Bound bound(String hyperparameter) {
        return BOUNDS.get(hyperparameter);
    }

    private static Map<String, List<Double>> grid(Object... namesAndValues) {
        Map<String, List<Double>> grid = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<Double> values = (List<Double>) namesAndValues[i + 1];
            grid.put((String) namesAndValues[i], values);
        }
        return java.util.Collections.unmodifiableMap(grid);
    }
}
