package org.medhub.platform.audit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.sql.SQLException;
import java.util.function.ToDoubleFunction;
import org.medhub.platform.database.DatabaseAutoConfiguration;
import org.medhub.platform.database.SchemaDataSources;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The audit trail every module records to ({@link AuditTrail}), its outbox in the {@code audit}
 * schema, and the drainer that hands recorded events to the application's {@link AuditPublisher}.
 */
@AutoConfiguration(after = DatabaseAutoConfiguration.class)
@ConditionalOnProperty(prefix = "medhub.audit", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(AuditProperties.class)
public class AuditAutoConfiguration {

    /** Its own pool (not a DataSource bean, so nothing else picks it up by type), migrated on creation. */
    @Bean(destroyMethod = "close")
    AuditOutbox auditOutbox(SchemaDataSources dataSources) {
        return AuditOutbox.open(dataSources);
    }

    @Bean
    AuditTrail auditTrail(AuditOutbox auditOutbox) {
        return new OutboxAuditTrail(auditOutbox);
    }

    @Bean
    AuditOutboxDrainer auditOutboxDrainer(
            AuditOutbox auditOutbox, ObjectProvider<AuditPublisher> publishers, AuditProperties properties) {
        return new AuditOutboxDrainer(auditOutbox, publishers, properties);
    }

    /**
     * Requests the security layer refuses before any module sees them (no token, bad token, no role)
     * are audited too; unauthenticated ones in aggregate ({@link DeniedRequestAudit}).
     */
    @Bean(destroyMethod = "close")
    DeniedRequestAudit auditedDenials(AuditTrail auditTrail, AuditProperties properties) {
        return new DeniedRequestAudit(auditTrail, properties.anonymousDenials());
    }

    /** Unpublished records and the age of the oldest: alert when the audit log falls behind. */
    @Bean
    MeterBinder auditOutboxMetrics(AuditOutbox auditOutbox) {
        return registry -> {
            Gauge.builder("medhub.audit.outbox.pending", auditOutbox, orNaN(AuditOutbox::pending))
                    .description("Audit events recorded but not yet published")
                    .register(registry);
            Gauge.builder("medhub.audit.outbox.oldest.age", auditOutbox, orNaN(AuditOutbox::oldestPendingAgeSeconds))
                    .description("Age of the oldest unpublished audit event")
                    .baseUnit("seconds")
                    .register(registry);
        };
    }

    /** A reading of the outbox; Prometheus shows NaN while the database cannot answer. */
    @FunctionalInterface
    private interface OutboxReading {
        double read(AuditOutbox outbox) throws SQLException;
    }

    private static ToDoubleFunction<AuditOutbox> orNaN(OutboxReading reading) {
        return outbox -> {
            try {
                return reading.read(outbox);
            } catch (SQLException e) {
                return Double.NaN;
            }
        };
    }
}
