package org.medhub.platform.audit;

import java.sql.SQLException;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;

/** The audit trail on the outbox table: a record is committed before {@code record} returns. */
final class OutboxAuditTrail implements AuditTrail {

    private final AuditOutbox outbox;

    OutboxAuditTrail(AuditOutbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void record(AuditEvent event) {
        recordAll(List.of(event));
    }

    @Override
    public void recordAll(List<AuditEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        try {
            outbox.insert(events);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record " + events.size() + " audit event(s): " + e.getMessage(), e);
        }
    }
}
