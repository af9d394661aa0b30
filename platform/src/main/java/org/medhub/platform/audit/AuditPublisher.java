package org.medhub.platform.audit;

import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;

/**
 * Turns recorded audit events into stored records that administrators can read, implemented by the
 * module that can do so (the FHIR server stores them as {@code AuditEvent} resources). When no bean of
 * this type exists, recorded events wait in the outbox.
 *
 * <p>Delivery is at least once: after a crash between {@code publish} returning and the outbox
 * noting it, the same events are published again. Each event carries a stable id
 * ({@code AuditEvent.id}), so an implementation that stores by that id (an update with a
 * client-assigned id) stores each event exactly once.
 *
 * <p>Called from one background thread, in batches. Throwing means none of the batch counts as
 * published; the drainer then retries the events one at a time to isolate one it can never publish.
 * {@link NotYet} says that an event can be stored later but not now: that event alone waits (with
 * the outbox's backoff), the others are published, and the drainer does not count it as a failure.
 */
public interface AuditPublisher {

    void publish(List<AuditEvent> events);

    /** An event that cannot be stored as it should be yet (e.g. the patient it names is not published yet). */
    final class NotYet extends RuntimeException {

        public NotYet(String reason) {
            super(reason);
        }
    }
}
