package org.medhub.ml.train;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.medhub.ml.jobs.FinishedJobs;
import org.medhub.ml.jobs.QueueFullException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training runs started through the API: each runs on its own coordinating thread while its fits
 * share the worker pool. Runs are kept in memory (the latest {@value FinishedJobs#KEPT} finished ones);
 * what they produce is registered durably.
 */
public final class TrainingRuns implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TrainingRuns.class);

    /** QUEUED until a coordinating thread is free ({@code medhub.ml.concurrent-runs}). */
    public enum Status { QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED }

    /** A run's state as clients see it. */
    public record RunStatus(UUID id, String modelName, Status status, int percent, Instant startedAt,
            Instant finishedAt, String startedBy, UUID modelVersionId, String error) {}

    private final class Run {
        final UUID id = UUID.randomUUID();
        final Progress progress = new Progress();
        final String modelName;
        final String startedBy;
        final Instant startedAt = Instant.now();
        volatile Status status = Status.QUEUED;
        volatile Instant finishedAt;
        volatile UUID modelVersionId;
        volatile String error;

        Run(String modelName, String startedBy) {
            this.modelName = modelName;
            this.startedBy = startedBy;
        }

        RunStatus status() {
            int percent = status == Status.SUCCEEDED ? 100 : progress.percent();
            return new RunStatus(id, modelName, status, percent, startedAt, finishedAt, startedBy, modelVersionId, error);
        }
    }

    private final ExecutorService coordinators;
    private final int maxQueued;
    private final Map<UUID, Run> runs = new ConcurrentHashMap<>();

    /**
     * @param coordinators a pool whose waiting line holds {@code maxQueued} runs and refuses more
     *     ({@link org.medhub.ml.jobs.BoundedJobs})
     */
    public TrainingRuns(ExecutorService coordinators, int maxQueued) {
        this.coordinators = coordinators;
        this.maxQueued = maxQueued;
    }

    /**
     * Starts {@code work} (training then registration), which returns the registered version's id.
     *
     * @throws QueueFullException when {@code medhub.ml.max-queued-runs} runs already wait; nothing is kept
     */
    public RunStatus start(String modelName, String startedBy, Function<Progress, UUID> work) {
        Run run = new Run(modelName, startedBy);
        FinishedJobs.forgetOldest(runs, r -> r.finishedAt);
        runs.put(run.id, run);
        try {
            submit(run, modelName, work);
        } catch (RejectedExecutionException e) {
            runs.remove(run.id);
            throw new QueueFullException("no training run can be queued", "medhub.ml.max-queued-runs", maxQueued);
        }
        return run.status();
    }

    private void submit(Run run, String modelName, Function<Progress, UUID> work) {
        coordinators.execute(() -> {
            run.status = Status.RUNNING;
            try {
                run.modelVersionId = work.apply(run.progress);
                run.status = Status.SUCCEEDED;
            } catch (TrainingCancelledException e) {
                run.status = Status.CANCELLED;
            } catch (RuntimeException | Error e) {
                log.warn("Training run {} for '{}' failed", run.id, modelName, e);
                run.error = e.getMessage();
                run.status = Status.FAILED;
            } finally {
                run.finishedAt = Instant.now();
            }
        });
    }

    public RunStatus status(UUID id) {
        Run run = runs.get(id);
        return run == null ? null : run.status();
    }

    /** Cancels every run still going and stops their coordinating threads. */
    @Override
    public void close() {
        runs.values().forEach(run -> run.progress.cancel());
        coordinators.shutdownNow();
    }

    /** Asks a run to stop; its remaining fits are skipped and its status becomes CANCELLED. */
    public RunStatus cancel(UUID id) {
        Run run = runs.get(id);
        if (run == null) {
            return null;
        }
        run.progress.cancel();
        return run.status();
    }
}
