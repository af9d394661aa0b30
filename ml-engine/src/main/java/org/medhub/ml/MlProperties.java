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
 * @param maxDatasetSize largest CSV upload accepted
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
        @DefaultValue("50MB") DataSize maxDatasetSize) {

    /** The worker pool size actually used. */
    public int effectiveWorkerThreads() {
        return workerThreads == 0 ? Math.max(1, Runtime.getRuntime().availableProcessors()) : workerThreads;
    }
}
