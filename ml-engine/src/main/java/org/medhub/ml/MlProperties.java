package org.medhub.ml;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The ML engine's settings ({@code medhub.ml.*}).
 *
 * @param enabled whether the engine and {@code /ml/api} are part of this server
 * @param workerThreads fits run in parallel on this many threads; 0 uses every available core
 * @param concurrentRuns training runs coordinated at once (their fits share the workers)
 * @param subgroupTolerance a subgroup gap (AUC, TPR, FPR, calibration error) above this is flagged
 * @param minSubgroupSize groups smaller than this are reported but not compared
 * @param referenceSize training rows kept with each model as the SHAP reference sample
 * @param importanceRows rows explained to compute a model's global importance
 * @param maxDatasetSize largest CSV upload accepted (counted while the body is read)
 * @param maxCohortSpecSize largest cohort spec (YAML) accepted
 * @param maxModelFileSize largest model file (export document) accepted for import
 * @param maxQueuedRuns training runs that may wait for a coordinating thread; more are refused (503)
 * @param maxQueuedPulls FHIR cohort pulls that may wait for the pull thread; more are refused (503)
 * @param maxCandidates hyperparameter candidates one training run may fit (each by k-fold cross-validation)
 * @param maxGridCombinations combinations one algorithm's grid may expand to (a random search samples them)
 * @param minCellSize counts below this (and ranges of groups below it) are withheld from everyone but admins
 * @param countRounding counts shown to non-admins are rounded to a multiple of this (1: not rounded)
 */
@Validated
@ConfigurationProperties("medhub.ml")
public record MlProperties(
        @DefaultValue("true") boolean enabled,
        @Min(0) @Max(256) @DefaultValue("0") int workerThreads,
        @Min(1) @Max(16) @DefaultValue("2") int concurrentRuns,
        @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.1") double subgroupTolerance,
        @Min(1) @DefaultValue("10") int minSubgroupSize,
        @Min(5) @Max(500) @DefaultValue("50") int referenceSize,
        @Min(1) @Max(1000) @DefaultValue("30") int importanceRows,
        @DefaultValue("50MB") DataSize maxDatasetSize,
        @DefaultValue("256KB") DataSize maxCohortSpecSize,
        @DefaultValue("64MB") DataSize maxModelFileSize,
        @Min(0) @Max(1000) @DefaultValue("8") int maxQueuedRuns,
        @Min(0) @Max(1000) @DefaultValue("4") int maxQueuedPulls,
        @Min(1) @Max(10000) @DefaultValue("64") int maxCandidates,
        @Min(1) @Max(100000) @DefaultValue("1000") int maxGridCombinations,
        @Min(1) @Max(1000) @DefaultValue("10") int minCellSize,
        @Min(1) @Max(100) @DefaultValue("5") int countRounding) {

    /** Bodies are held in memory (arrays), so each size limit stays well below 2 GiB. */
    private static final DataSize LARGEST_BODY = DataSize.ofGigabytes(1);

    public MlProperties {
        requireWithin("medhub.ml.max-dataset-size", maxDatasetSize);
        requireWithin("medhub.ml.max-cohort-spec-size", maxCohortSpecSize);
        requireWithin("medhub.ml.max-model-file-size", maxModelFileSize);
    }

    private static void requireWithin(String setting, DataSize size) {
        if (size == null || size.toBytes() < 1 || size.compareTo(LARGEST_BODY) > 0) {
            throw new IllegalArgumentException(setting + " (" + size + ") must be between 1B and " + LARGEST_BODY);
        }
    }

    /** The worker pool size actually used. */
    public int effectiveWorkerThreads() {
        return workerThreads == 0 ? Math.max(1, Runtime.getRuntime().availableProcessors()) : workerThreads;
    }
}
