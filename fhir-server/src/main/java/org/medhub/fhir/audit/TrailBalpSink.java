package org.medhub.fhir.audit;

import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.medhub.platform.audit.AuditActor;
import org.medhub.platform.audit.AuditTrail;
import org.medhub.platform.audit.RestAuditEvents;

/**
 * Where the BALP interceptor's events go: the durable audit trail, synchronously, so that a read is
 * recorded before its data leaves the server (HAPI's default sink is an in-memory queue that loses
 * what it holds when the server stops). The user agent gets what BALP leaves out: roles and the
 * stable subject id.
 */
final class TrailBalpSink implements IBalpAuditEventSink {

    private final AuditTrail trail;

    TrailBalpSink(AuditTrail trail) {
        this.trail = trail;
    }

    @Override
    public void recordAuditEvent(AuditEvent event) {
        AuditActor actor = AuditActor.current();
        for (AuditEventAgentComponent agent : event.getAgent()) {
            if (agent.getRequestor()) {
                RestAuditEvents.describeUser(agent, actor);
            }
        }
        trail.record(event);
    }
}
