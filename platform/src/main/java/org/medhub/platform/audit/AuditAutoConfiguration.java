package org.medhub.platform.audit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.sql.SQLException;
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

    /** Unpublished records and the age of the oldest: alert when the audit log falls behind. */
    @Bean
    MeterBinder auditOutboxMetrics(AuditOutbox auditOutbox) {
        return registry -> {
            Gauge.builder("medhub.audit.outbox.pending", auditOutbox, outbox -> {
                        try {
                            return outbox.pending();
                        } catch (SQLException e) {
                            return Double.NaN;
                        }
                    })
                    .description("Audit events recorded but not yet published")
                    .register(registry);
            Gauge.builder("medhub.audit.outbox.oldest.age", auditOutbox, outbox -> {
                        try {
                            return outbox.oldestPendingAgeSeconds();
                        } catch (SQLException e) {
                            return Double.NaN;
                        }
                    })
                    .description("Age of the oldest unpublished audit event")
                    .baseUnit("seconds")
                    .register(registry);
        };
    }
}
