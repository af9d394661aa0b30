package org.medhub.ml.api;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.medhub.ml.MlProperties;
import org.medhub.ml.dataset.Dataset;
import org.medhub.ml.dataset.DatasetStore;
import org.medhub.ml.evaluate.ModelCard;
import org.medhub.ml.explain.Explainers;
import org.medhub.ml.registry.ModelRegistry;
import org.medhub.ml.registry.NotFoundException;
import org.medhub.ml.train.Algorithm;
import org.medhub.ml.train.SearchStrategy;
import org.medhub.ml.train.SelectionMetric;
import org.medhub.ml.train.TrainingPipeline;
import org.medhub.ml.train.TrainingLimits;
import org.medhub.ml.train.TrainingRequest;
import org.medhub.ml.train.TrainingResult;
import org.medhub.ml.train.TrainingRuns;
import org.medhub.ml.train.TrainingRuns.RunStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Training runs: start one on an uploaded dataset (202 with the run's status), follow its percent,
 * cancel it. A successful run registers the winning candidate as a new version of the model: a proposal,
 * unless an admin started the run and the name has no active version. The work a run asks for is
 * bounded ({@link TrainingLimits}) and so is the line of runs waiting ({@code medhub.ml.max-queued-runs}).
 */
@RestController
@Tag(name = "Training runs", description = "Start, follow and cancel training runs")
@RequestMapping("/ml/api/training-runs")
class TrainingController {

    private final DatasetStore datasets;
    private final TrainingPipeline pipeline;
    private final TrainingRuns runs;
    private final ModelRegistry registry;
    private final MlProperties properties;
    private final TrainingLimits limits;

    TrainingController(DatasetStore datasets, TrainingPipeline pipeline, TrainingRuns runs, ModelRegistry registry,
            MlProperties properties) {
        this.datasets = datasets;
        this.pipeline = pipeline;
        this.runs = runs;
        this.registry = registry;
        this.properties = properties;
        this.limits = new TrainingLimits(properties.maxCandidates(), properties.maxGridCombinations());
    }

    /**
     * The body of {@code POST /ml/api/training-runs}; everything but the dataset and model name is optional.
     *
     * @param testRows held-out rows (0 = the first data row) replacing the seeded split, for comparisons on the same split
     */
    record StartRun(UUID datasetId, String modelName, List<Algorithm> algorithms, SearchStrategy search,
            Integer randomCandidates, Integer folds, Double testFraction, Long seed, SelectionMetric selectionMetric,
            Map<Algorithm, Map<String, List<Double>>> grids, List<Integer> testRows) {}

    @PostMapping
    ResponseEntity<RunStatus> start(@RequestBody StartRun body) {
        String user = MlAccess.TRAIN.require();
        boolean byAdmin = MlAccess.ACTIVATE.granted();
        if (body.datasetId() == null) {
            throw new IllegalArgumentException("datasetId is required");
        }
        TrainingRequest request = new TrainingRequest(body.modelName(), body.algorithms(), body.search(),
                body.randomCandidates(), body.folds(), body.testFraction(), body.seed(), body.selectionMetric(), body.grids(),
                body.testRows());
        limits.check(request);
        int rows = datasets.describe(body.datasetId()).rows();
        if (request.testRows() != null && request.testRows().stream().anyMatch(r -> r >= rows)) {
            throw new IllegalArgumentException("testRows must be below the dataset's " + rows + " data rows (0 = the first)");
        }
        RunStatus status = runs.start(request.modelName(), user, progress -> {
            Dataset data = datasets.load(body.datasetId());
            TrainingResult result = pipeline.train(data, request, progress);
            var explainer = Explainers.shap(result.model(), result.schema(), result.algorithm().missingValues(),
                    result.reference(), request.seed());
            Map<String, Double> importance = Explainers.globalImportance(explainer, result.schema(),
                    result.reference().subList(0, Math.min(properties.importanceRows(), result.reference().size())));
            Map<String, Object> requestRecord = new LinkedHashMap<>();
            requestRecord.put("algorithms", request.algorithms());
            requestRecord.put("search", request.search());
            requestRecord.put("randomCandidates", request.randomCandidates());
            requestRecord.put("folds", request.folds());
            requestRecord.put("testFraction", request.testFraction());
            requestRecord.put("testRows", request.testRows());
            requestRecord.put("selectionMetric", request.selectionMetric());
            requestRecord.put("grids", request.algorithms().stream()
                    .collect(java.util.stream.Collectors.toMap(Algorithm::name, request::gridOf)));
            var registration = new ModelRegistry.Registration(request.modelName(), user, body.datasetId(), importance,
                    requestRecord, byAdmin);
            return registry.register(result, registration, version -> ModelCard.of(request.modelName(), version,
                    result.algorithm().name(), result.hyperparameters(), data.spec().target(), data.positiveClass(),
                    result.trainRows(), result.testRows(), data.fingerprint(), result.evaluation(), result.subgroups(),
                    importance, request.selectionMetric().name())).id();
        });
        return ResponseEntity.accepted().location(URI.create("/ml/api/training-runs/" + status.id())).body(status);
    }

    @GetMapping("/{id}")
    RunStatus status(@PathVariable UUID id) {
        MlAccess.TRAIN.require();
        return found(runs.status(id), id);
    }

    @PostMapping("/{id}/cancel")
    ResponseEntity<RunStatus> cancel(@PathVariable UUID id) {
        MlAccess.TRAIN.require();
        return ResponseEntity.accepted().body(found(runs.cancel(id), id));
    }

    private static RunStatus found(RunStatus status, UUID id) {
        if (status == null) {
            throw new NotFoundException("no training run " + id);
        }
        return status;
    }
}
