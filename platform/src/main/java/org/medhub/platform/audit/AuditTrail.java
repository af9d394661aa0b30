package org.medhub.platform.audit;

import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;

/**
 * MedHub's audit trail: every module records here who did what to which data, as FHIR AuditEvents
 * shaped after IHE Basic Audit Log Patterns (BALP).
 *
 * <p>{@code record} is durable: when it returns, the event is committed to the {@code audit} schema's
 * outbox and survives a crash or a stop of the server. A background drainer later hands it to the
 * {@link AuditPublisher} (the FHIR server stores it as an {@code AuditEvent} resource). If the event
 * cannot be stored, {@code record} throws, and the caller should refuse the access it was about to
 * audit rather than let it happen unrecorded.
 *
 * <p>Each recorded event is given its permanent id ({@code AuditEvent.id}, a UUID) by the trail,
 * replacing any id it carried.
 */
public interface AuditTrail {

    /** Stores the event durably (one committed insert) before returning. */
    void record(AuditEvent event);

    /** Stores the events durably in one commit, cheaper than one {@link #record(AuditEvent)} each. */
    void recordAll(List<AuditEvent> events);
}
