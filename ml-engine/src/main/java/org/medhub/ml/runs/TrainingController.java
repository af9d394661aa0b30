package org.medhub.ml.runs;

import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.medhub.ml.api.MlAccess;
import org.medhub.ml.registry.NotFoundException;
import org.medhub.ml.request.InvalidRequestException;
import org.medhub.ml.train.Algorithm;
import org.medhub.ml.train.SearchStrategy;
import org.medhub.ml.train.SelectionMetric;
import org.medhub.ml.train.TrainingLimits;
import org.medhub.ml.train.TrainingRequest;
import org.medhub.ml.train.TrainingRuns;
import org.medhub.ml.train.TrainingRuns.RunStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

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

    private final TrainingRunService training;
    private final TrainingRuns runs;

    TrainingController(TrainingRunService training, TrainingRuns runs) {
        this.training = training;
        this.runs = runs;
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
            throw new InvalidRequestException("datasetId is required");
        }
        TrainingRequest request = new TrainingRequest(body.modelName(), body.algorithms(), body.search(),
                body.randomCandidates(), body.folds(), body.testFraction(), body.seed(), body.selectionMetric(), body.grids(),
                body.testRows());
        RunStatus status = training.start(body.datasetId(), request, user, byAdmin);
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
