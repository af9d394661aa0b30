package org.medhub.ml.runs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.medhub.ml.MlProperties;
import org.medhub.ml.dataset.Dataset;
import org.medhub.ml.dataset.DatasetStore;
import org.medhub.ml.evaluate.ModelCard;
import org.medhub.ml.explain.Explainers;
import org.medhub.ml.registry.ModelRegistry;
import org.medhub.ml.request.InvalidRequestException;
import org.medhub.ml.train.Algorithm;
import org.medhub.ml.train.TrainingLimits;
import org.medhub.ml.train.TrainingPipeline;
import org.medhub.ml.train.TrainingRequest;
import org.medhub.ml.train.TrainingResult;
import org.medhub.ml.train.TrainingRuns;
import org.medhub.ml.train.TrainingRuns.RunStatus;

/**
 * The training use case: a request checked against the limits and its dataset, then queued as a run
 * that trains the candidates, explains the winner (global importance on the reference sample) and
 * registers it with its model card. The caller has checked the role.
 */
final class TrainingRunService {

    private final DatasetStore datasets;
    private final TrainingPipeline pipeline;
    private final TrainingRuns runs;
    private final ModelRegistry registry;
    private final MlProperties properties;
    private final TrainingLimits limits;

    TrainingRunService(DatasetStore datasets, TrainingPipeline pipeline, TrainingRuns runs, ModelRegistry registry,
            MlProperties properties) {
        this.datasets = datasets;
        this.pipeline = pipeline;
        this.runs = runs;
        this.registry = registry;
        this.properties = properties;
        this.limits = new TrainingLimits(properties.maxCandidates(), properties.maxGridCombinations());
    }

    /**
     * @param byAdmin whether the version may become active at once (an admin's first version of a name)
     * @throws IllegalArgumentException when the request exceeds the limits or does not fit the dataset
     */
    RunStatus start(UUID datasetId, TrainingRequest request, String user, boolean byAdmin) {
        limits.check(request);
        int rows = datasets.describe(datasetId).rows();
        if (request.testRows() != null && request.testRows().stream().anyMatch(r -> r >= rows)) {
            throw new InvalidRequestException("testRows must be below the dataset's " + rows + " data rows (0 = the first)");
        }
        return runs.start(request.modelName(), user, progress -> {
            Dataset data = datasets.load(datasetId);
            TrainingResult result = pipeline.train(data, request, progress);
            var explainer = Explainers.shap(result.model(), result.schema(), result.algorithm().missingValues(),
                    result.reference(), request.seed());
            Map<String, Double> importance = Explainers.globalImportance(explainer, result.schema(),
                    result.reference().subList(0, Math.min(properties.importanceRows(), result.reference().size())));
            var registration = new ModelRegistry.Registration(request.modelName(), user, datasetId, importance,
                    requestRecord(request), byAdmin);
            return registry.register(result, registration, version -> ModelCard.of(request.modelName(), version,
                    result.algorithm().name(), result.hyperparameters(), data.spec().target(), data.positiveClass(),
                    result.trainRows(), result.testRows(), data.fingerprint(), result.evaluation(), result.subgroups(),
                    importance, request.selectionMetric().name())).id();
        });
    }

    /** The request as the version's provenance keeps it (the model name is the version's own). */
    private static Map<String, Object> requestRecord(TrainingRequest request) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("algorithms", request.algorithms());
        record.put("search", request.search());
        record.put("randomCandidates", request.randomCandidates());
        record.put("folds", request.folds());
        record.put("testFraction", request.testFraction());
        record.put("testRows", request.testRows());
        record.put("selectionMetric", request.selectionMetric());
        record.put("grids", request.algorithms().stream().collect(Collectors.toMap(Algorithm::name, request::gridOf)));
        return record;
    }
}
