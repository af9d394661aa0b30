package org.medhub.fhir.audit;

import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.Coding;
import org.medhub.platform.audit.AuditActor;
import org.medhub.platform.audit.AuditTrail;
import org.medhub.platform.audit.RestAuditEvents;

/**
 * Where the BALP interceptor's events go: the durable audit trail, synchronously, so that a read is
 * recorded before its data leaves the server (HAPI's default sink is an in-memory queue that loses
 * what it holds when the server stops).
 *
 * <p>On the way, each event is made to meet the BALP 1.1 profile HAPI claims for it, where HAPI's
 * interceptor (8.8) does not: the agents get the types BALP requires for the action (HAPI writes
 * the query convention for reads and IRCP for the user of every write,
 * {@link RestAuditEvents#shapeAgents}); a write inside a transaction or batch gets the subtype of
 * its own interaction ({@code create}, {@code update}, {@code delete}), not {@code transaction}; an
 * X-Request-Id entity without a value (HAPI adds one whether or not the request had an id, and
 * BALP requires {@code what.identifier.value}) is left out. The user agent gets what BALP leaves
 * out: roles and the stable subject id (not on deletes, whose profile forbids {@code altId}).
 */
final class TrailBalpSink implements IBalpAuditEventSink {

    static final String REQUEST_ID_TYPE = "XrequestId";

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
        conformToClaimedProfile(event);
        trail.record(event);
    }

    static void conformToClaimedProfile(AuditEvent event) {
        RestAuditEvents.shapeAgents(event);
        String interaction = interactionOf(event.getAction());
        if (interaction != null) {
            Coding subtype = event.getSubtypeFirstRep();
            if ("transaction".equals(subtype.getCode()) || "batch".equals(subtype.getCode())) {
                subtype.setCode(interaction).setDisplay(interaction);
            }
        }
        event.getEntity().removeIf(TrailBalpSink::isRequestIdWithoutValue);
    }

    /** The interaction a write's own profile names; null for reads and searches, whose subtype HAPI gets right. */
    private static String interactionOf(AuditEventAction action) {
        if (action == null) {
            return null;
        }
        return switch (action) {
            case C -> "create";
            case U -> "update";
            case D -> "delete";
            default -> null;
        };
    }

    private static boolean isRequestIdWithoutValue(AuditEventEntityComponent entity) {
        return REQUEST_ID_TYPE.equals(entity.getType().getCode()) && !entity.getWhat().getIdentifier().hasValue();
    }
}
