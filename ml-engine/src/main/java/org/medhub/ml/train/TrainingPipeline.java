package org.medhub.ml.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.medhub.ml.dataset.Dataset;
import org.medhub.ml.dataset.DatasetException;
import org.medhub.ml.evaluate.BinaryMetrics;
import org.medhub.ml.evaluate.Evaluation;
import org.medhub.ml.evaluate.SubgroupReport;
import org.medhub.ml.prepare.FeatureSchema;
import org.medhub.ml.prepare.Splits;
import org.tribuo.Model;
import org.tribuo.classification.Label;

/**
 * Dataset to chosen model: a stratified seeded train/test split; for each algorithm, each
 * hyperparameter candidate scored by stratified k-fold cross-validation on the training split (the
 * scaling refitted inside every fold so no fold sees its own statistics); the best set per algorithm
 * refitted on the whole training split and evaluated on the held-out split; the winner chosen by its
 * cross-validation score on the selection metric (the held-out split stays unseen by every choice).
 *
 * <p>Every fit is a task on the shared worker pool, which is bounded by the machine's cores, so
 * candidates train in parallel and concurrent runs share the cores rather than multiply threads.
 */
public final class TrainingPipeline implements AutoCloseable {

    static final double THRESHOLD = 0.5;

    private final ExecutorService workers;
    private final double subgroupTolerance;
    private final int minSubgroupSize;
    private final int referenceSize;

    public TrainingPipeline(ExecutorService workers, double subgroupTolerance, int minSubgroupSize, int referenceSize) {
        this.workers = workers;
        this.subgroupTolerance = subgroupTolerance;
        this.minSubgroupSize = minSubgroupSize;
        this.referenceSize = referenceSize;
    }

    /** Stops the worker pool; running fits are interrupted. */
    @Override
    public void close() {
        workers.shutdownNow();
    }

    private record Fold(int[] train, int[] validation, FeatureSchema schema) {}

    private record Task(Algorithm algorithm, Map<String, Double> hyperparameters, int fold, Future<Double> score) {}

    public TrainingResult train(Dataset data, TrainingRequest request, Progress progress) {
        long seed = request.seed();
        boolean[] outcomes = data.outcomes();
        Splits.TrainTest split = split(data, request);
        int minority = Math.min(count(outcomes, split.train(), true), count(outcomes, split.train(), false));
        if (minority < request.folds()) {
            throw new DatasetException("the training split has only " + minority + " examples of its rarer class, fewer than "
                    + request.folds() + " folds; use fewer folds or more data");
        }
        FeatureSchema schema = FeatureSchema.fit(data, split.train());
        List<Fold> folds = new ArrayList<>();
        for (int[] validation : Splits.folds(outcomes, split.train(), request.folds(), seed)) {
            int[] train = Splits.without(split.train(), validation);
            folds.add(new Fold(train, validation, FeatureSchema.fit(data, train)));
        }

        Map<Algorithm, List<Map<String, Double>>> candidates = new EnumMap<>(Algorithm.class);
        int steps = 0;
        for (Algorithm algorithm : request.algorithms()) {
            var sets = HyperparameterSearch.candidates(
                    request.gridOf(algorithm), request.search(), request.randomCandidates(), seed);
            candidates.put(algorithm, sets);
            steps += sets.size() * folds.size() + 1;
        }
        progress.plan(steps);

        List<Task> tasks = new ArrayList<>();
        List<Future<?>> all = new ArrayList<>();
        try {
            candidates.forEach((algorithm, sets) -> {
                for (Map<String, Double> hyperparameters : sets) {
                    for (int f = 0; f < folds.size(); f++) {
                        Fold fold = folds.get(f);
                        Future<Double> score = workers.submit(() -> {
                            progress.checkCancelled();
                            double value = crossValidationScore(data, fold, algorithm, hyperparameters, seed, request);
                            progress.step();
                            return value;
                        });
                        tasks.add(new Task(algorithm, hyperparameters, f, score));
                        all.add(score);
                    }
                }
            });
            List<CandidateResult> results = new ArrayList<>();
            for (Algorithm algorithm : candidates.keySet()) {
                results.add(bestOf(algorithm, candidates.get(algorithm), tasks, folds.size(), request.selectionMetric()));
            }

            Map<Algorithm, Future<Model<Label>>> refits = new EnumMap<>(Algorithm.class);
            for (CandidateResult result : results) {
                Future<Model<Label>> model = workers.submit(() -> {
                    progress.checkCancelled();
                    Model<Label> fitted = fit(data, split.train(), schema, result.algorithm(), result.bestHyperparameters(), seed);
                    progress.step();
                    return fitted;
                });
                refits.put(result.algorithm(), model);
                all.add(model);
            }
            boolean[] testOutcomes = Examples.outcomes(data, split.test());
            Map<Algorithm, Evaluation> heldOut = new EnumMap<>(Algorithm.class);
            Map<Algorithm, Model<Label>> models = new EnumMap<>(Algorithm.class);
            Map<Algorithm, double[]> testProbabilities = new EnumMap<>(Algorithm.class);
            for (var entry : refits.entrySet()) {
                Model<Label> model = await(entry.getValue());
                double[] p = Examples.probabilities(model, data, split.test(), schema, entry.getKey().missingValues());
                models.put(entry.getKey(), model);
                testProbabilities.put(entry.getKey(), p);
                heldOut.put(entry.getKey(), BinaryMetrics.evaluate(testOutcomes, p, THRESHOLD));
            }
            CandidateResult winner = results.get(0);
            for (CandidateResult result : results) {
                if (request.selectionMetric().better(result.bestScore(), winner.bestScore())) {
                    winner = result;
                }
            }
            Algorithm chosen = winner.algorithm();
            List<Map<String, Object>> testRows = Arrays.stream(split.test()).mapToObj(r -> data.rows().get(r)).toList();
            SubgroupReport subgroups = SubgroupReport.of(data.spec().subgroups(), testRows, testOutcomes,
                    testProbabilities.get(chosen), THRESHOLD, subgroupTolerance, minSubgroupSize);
            return new TrainingResult(chosen, winner.bestHyperparameters(), models.get(chosen), schema,
                    heldOut.get(chosen), subgroups, results, heldOut, reference(data, split.train(), seed),
                    split.train().length, split.test().length, seed, request.selectionMetric(), data.fingerprint());
        } catch (TrainingCancelledException | CancellationException e) {
            all.forEach(f -> f.cancel(true));
            throw new TrainingCancelledException();
        } catch (RuntimeException e) {
            all.forEach(f -> f.cancel(true));
            throw e;
        }
    }

    /** The caller's held-out rows when given (checked against this dataset), else the seeded stratified split. */
    private static Splits.TrainTest split(Dataset data, TrainingRequest request) {
        if (request.testRows() == null) {
            return Splits.trainTest(data.outcomes(), request.testFraction(), request.seed());
        }
        int[] test = request.testRows().stream().mapToInt(Integer::intValue).sorted().toArray();
        if (test[test.length - 1] >= data.size()) {
            throw new DatasetException("testRows names row " + test[test.length - 1] + " but the dataset has "
                    + data.size() + " data rows (0 = the first)");
        }
        int[] all = IntStream.range(0, data.size()).toArray();
        Splits.TrainTest split = new Splits.TrainTest(Splits.without(all, test), test);
        boolean[] outcomes = data.outcomes();
        if (count(outcomes, split.test(), true) == 0 || count(outcomes, split.test(), false) == 0) {
            throw new DatasetException("the rows in testRows must include both outcomes, or the held-out AUC is undefined");
        }
        return split;
    }

    private static double crossValidationScore(Dataset data, Fold fold, Algorithm algorithm,
            Map<String, Double> hyperparameters, long seed, TrainingRequest request) {
        Model<Label> model = fit(data, fold.train(), fold.schema(), algorithm, hyperparameters, seed);
        double[] p = Examples.probabilities(model, data, fold.validation(), fold.schema(), algorithm.missingValues());
        Evaluation evaluation = BinaryMetrics.evaluate(Examples.outcomes(data, fold.validation()), p, THRESHOLD);
        return request.selectionMetric().of(evaluation);
    }

    public static Model<Label> fit(Dataset data, int[] rows, FeatureSchema schema, Algorithm algorithm,
            Map<String, Double> hyperparameters, long seed) {
        return algorithm.trainer(hyperparameters, seed)
                .train(Examples.dataset(data, rows, schema, algorithm.missingValues()));
    }

    private CandidateResult bestOf(Algorithm algorithm, List<Map<String, Double>> sets, List<Task> tasks, int k,
            SelectionMetric metric) {
        List<CandidateResult.Scored> scored = new ArrayList<>();
        CandidateResult.Scored best = null;
        for (Map<String, Double> hyperparameters : sets) {
            double[] scores = new double[k];
            for (Task task : tasks) {
                if (task.algorithm() == algorithm && task.hyperparameters() == hyperparameters) {
                    scores[task.fold()] = await(task.score());
                }
            }
            double mean = Arrays.stream(scores).average().orElse(Double.NaN);
            var candidate = new CandidateResult.Scored(hyperparameters, mean, scores);
            scored.add(candidate);
            if (best == null || metric.better(mean, best.meanScore())) {
                best = candidate;
            }
        }
        return new CandidateResult(algorithm, best.hyperparameters(), best.meanScore(), scored);
    }

    private List<Map<String, Object>> reference(Dataset data, int[] train, long seed) {
        List<Integer> rows = new ArrayList<>(Arrays.stream(train).boxed().toList());
        java.util.Collections.shuffle(rows, new Random(seed));
        return rows.subList(0, Math.min(referenceSize, rows.size())).stream()
                .map(r -> (Map<String, Object>) new LinkedHashMap<>(data.rows().get(r)))
                .toList();
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrainingCancelledException();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("training failed: " + e.getCause(), e.getCause());
        }
    }

    private static int count(boolean[] outcomes, int[] rows, boolean value) {
        int n = 0;
        for (int row : rows) {
            if (outcomes[row] == value) {
                n++;
            }
        }
        return n;
    }
}
