package org.medhub.platform.audit;

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
 */
@Validated
@ConfigurationProperties("medhub.audit")
public record AuditProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1s") Duration drainInterval,
        @Min(1) @Max(5000) @DefaultValue("500") int batchSize,
        @DefaultValue("7d") Duration outboxRetention,
        @DefaultValue("10s") Duration shutdownDrainTimeout) {

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
}
