package org.medhub.platform.audit;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The audit trail's settings ({@code medhub.audit.*}).
 *
 * @param enabled whether accesses are audited at all; switch off only for a measurement or a custom
 *     assembly without patient data
 * @param drainInterval how often recorded events are moved from the outbox to the stored audit log
 * @param batchSize how many events are published in one go
 * @param outboxRetention how long the outbox keeps a copy of published events before purging it
 * @param shutdownDrainTimeout how long a stopping server keeps publishing what is left in the outbox
 *     (the rest is published at the next start); 0 skips this
 * @param anonymousDenials how refusals of unauthenticated requests are aggregated
 */
@Validated
@ConfigurationProperties("medhub.audit")
public record AuditProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1s") Duration drainInterval,
        @Min(1) @Max(5000) @DefaultValue("500") int batchSize,
        @DefaultValue("7d") Duration outboxRetention,
        @DefaultValue("10s") Duration shutdownDrainTimeout,
        @Valid @DefaultValue AnonymousDenials anonymousDenials) {

    public AuditProperties {
        if (drainInterval.toMillis() < 100) {
            throw new IllegalArgumentException("medhub.audit.drain-interval must be at least 100ms, got " + drainInterval);
        }
        if (outboxRetention.isNegative()) {
            throw new IllegalArgumentException("medhub.audit.outbox-retention must not be negative, got " + outboxRetention);
        }
        if (shutdownDrainTimeout.isNegative()) {
            throw new IllegalArgumentException(
                    "medhub.audit.shutdown-drain-timeout must not be negative, got " + shutdownDrainTimeout);
        }
    }

    /**
     * Refused unauthenticated requests ({@code medhub.audit.anonymous-denials.*}): per client address
     * and window the first {@code recordedPerWindow} are recorded in full, the rest as one summary
     * event at the end of the window. Refusals of authenticated users are always recorded in full.
     *
     * @param window how long one window lasts (and how often summaries are written)
     * @param recordedPerWindow how many refusals per address and window are recorded in full
     * @param maxClients how many client addresses are told apart per window (bounds the memory); the
     *     refusals of further addresses are counted in one summary of "other addresses"
     */
    public record AnonymousDenials(
            @DefaultValue("1m") Duration window,
            @Min(0) @Max(1000) @DefaultValue("5") int recordedPerWindow,
            @Min(1) @Max(100_000) @DefaultValue("1000") int maxClients) {

        public AnonymousDenials {
            if (window.toMillis() < 1000) {
                throw new IllegalArgumentException(
                        "medhub.audit.anonymous-denials.window must be at least 1s, got " + window);
            }
        }
    }
}
