package org.medhub.ml.cohort;

import ca.uhn.fhir.context.FhirContext;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.medhub.ml.dataset.DatasetException;
import org.medhub.ml.dataset.DatasetStore;
import org.medhub.ml.dataset.DatasetStore.StoredDataset;
import org.medhub.ml.jobs.FinishedJobs;
import org.medhub.ml.jobs.QueueFullException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FHIR cohort pulls as background jobs: a pull of a large population takes minutes, so a request
 * starts one and clients follow its status (phase, percent) until it has stored the dataset. Jobs are
 * kept in memory, like training runs; the datasets they produce are stored durably.
 */
public final class CohortPulls implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CohortPulls.class);

    public enum Status { QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED }

    /**
     * A pull as clients see it. Counts only; never a patient identifier.
     *
     * @param trainingRun the body to start training on the dataset ({@code POST /ml/api/training-runs}):
     *     the spec's {@code training} settings, the model name and, once stored, the dataset id
     */
    public record PullStatus(UUID id, String name, Status status, String phase, int percent, Instant startedAt,
            Instant finishedAt, String startedBy, LocalDate indexDate, Integer patientsRead, UUID datasetId,
            Integer rows, Integer positives, String error, Map<String, Object> trainingRun) {}

    private final class Job implements CohortPull.Listener {
        final UUID id = UUID.randomUUID();
        final CohortSpec spec;
        final String startedBy;
        final LocalDate index;
        final Instant startedAt = Instant.now();
        volatile Status status = Status.QUEUED;
        volatile String phase = "queued";
        volatile double fraction;
        volatile boolean cancelRequested;
        volatile Instant finishedAt;
        volatile Integer patientsRead;
        volatile StoredDataset dataset;
        volatile String error;

        Job(CohortSpec spec, String startedBy, LocalDate index) {
            this.spec = spec;
            this.startedBy = startedBy;
            this.index = index;
        }

        @Override
        public void progress(String phase, double fraction) {
            this.phase = phase;
            this.fraction = fraction;
        }

        @Override
        public boolean cancelled() {
            return cancelRequested;
        }

        PullStatus status() {
            Map<String, Object> run = new LinkedHashMap<>(spec.training());
            run.putIfAbsent("modelName", spec.name());
            StoredDataset stored = dataset;
            if (stored != null) {
                run.put("datasetId", stored.id());
            }
            // The last percent belongs to storing the table, so 100 means the dataset exists.
            int percent = status == Status.SUCCEEDED ? 100 : (int) Math.min(99, Math.floor(fraction * 100));
            return new PullStatus(id, spec.name(), status, phase, percent, startedAt, finishedAt, startedBy, index,
                    patientsRead, stored == null ? null : stored.id(), stored == null ? null : stored.rows(),
                    stored == null ? null : stored.positives(), error, run);
        }
    }

    private final ExecutorService workers;
    private final int maxQueued;
    private final DatasetStore datasets;
    private final Supplier<FhirSource> source;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<UUID, Job> jobs = new ConcurrentHashMap<>();

    /**
     * @param workers a pool whose waiting line holds {@code maxQueued} pulls and refuses more
     *     ({@link org.medhub.ml.jobs.BoundedJobs})
     * @param source where to read FHIR and with which token; resolved at each start, so that a server
     *     without a service client for the ML engine still runs everything else and says what is missing
     */
    public CohortPulls(ExecutorService workers, int maxQueued, DatasetStore datasets, Supplier<FhirSource> source,
            Clock clock) {
        this.workers = workers;
        this.maxQueued = maxQueued;
        this.datasets = datasets;
        this.source = source;
        this.clock = clock;
    }

    /**
     * Starts pulling the cohort of {@code spec}; {@code onFinish} runs when the job ends, whatever the
     * outcome (for the audit record).
     *
     * @throws QueueFullException when {@code medhub.ml.max-queued-pulls} pulls already wait; nothing is kept
     */
    public PullStatus start(CohortSpec spec, String startedBy, Consumer<PullStatus> onFinish) {
        FhirSource fhir;
        try {
            fhir = source.get();
        } catch (RuntimeException e) {
            throw new SourceUnavailableException("FHIR cohorts need the ML engine's service client: " + e.getMessage());
        }
        FhirSearch search = new FhirSearch(http, FhirContext.forR4Cached(), fhir.baseUrl(), fhir.bearerToken());
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate index = spec.indexDate() != null ? spec.indexDate() : today.minusYears(spec.label().horizonYears());
        Job job = new Job(spec, startedBy, index);
        FinishedJobs.forgetOldest(jobs, j -> j.finishedAt);
        jobs.put(job.id, job);
        try {
            workers.execute(() -> run(job, search, onFinish));
        } catch (RejectedExecutionException e) {
            jobs.remove(job.id);
            throw new QueueFullException("no cohort pull can be queued", "medhub.ml.max-queued-pulls", maxQueued);
        }
        return job.status();
    }

    private void run(Job job, FhirSearch search, Consumer<PullStatus> onFinish) {
        job.status = Status.RUNNING;
        try {
            CohortPull.Result result = new CohortPull(search).pull(job.spec, job.index, job);
            job.patientsRead = result.patientsRead();
            if (job.cancelRequested) {
                job.status = Status.CANCELLED;
                return;
            }
            job.progress("storing " + result.rows().size() + " rows", 0.99);
            job.dataset = datasets.save(job.spec.name(), CohortTable.csv(job.spec, result.rows()),
                    CohortTable.datasetSpec(job.spec), job.startedBy);
            job.phase = "done";
            job.status = Status.SUCCEEDED;
        } catch (RuntimeException e) {
            log.warn("Cohort pull {} for '{}' failed: {}", job.id, job.spec.name(), e.getMessage());
            job.error = e instanceof DatasetException d
                    ? "the cohort cannot be used: " + String.join("; ", d.problems())
                    : e.getMessage();
            job.status = Status.FAILED;
        } finally {
            job.finishedAt = Instant.now();
            onFinish.accept(job.status());
        }
    }

    public PullStatus status(UUID id) {
        Job job = jobs.get(id);
        return job == null ? null : job.status();
    }

    /** Asks a pull to stop after the page it is reading. */
    public PullStatus cancel(UUID id) {
        Job job = jobs.get(id);
        if (job == null) {
            return null;
        }
        job.cancelRequested = true;
        return job.status();
    }

    @Override
    public void close() {
        jobs.values().forEach(job -> job.cancelRequested = true);
        workers.shutdownNow();
    }

    /** The ML engine has no service identity to read FHIR with. */
    public static final class SourceUnavailableException extends RuntimeException {
        SourceUnavailableException(String message) {
            super(message);
        }
    }
}
