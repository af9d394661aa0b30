package org.medhub.ml.api;

import jakarta.servlet.http.HttpServletRequest;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.medhub.platform.audit.AuditActor;
import org.medhub.platform.audit.AuditTrail;
import org.medhub.platform.audit.RestAuditEvents;

/**
 * Audit records of {@code /ml/api} requests that touch data derived from patients (dataset uploads and
 * descriptions, model exports with their training rows, activations): who (the token's user and client),
 * what (the request and the object named), and the outcome. Recorded before the answer is sent; if the
 * record cannot be stored, {@link AuditTrail#record} throws and the request fails rather than happen
 * unrecorded.
 */
final class MlAudit {

    /** The BALP RESTful interaction and FHIR action of an audited request. */
    enum Interaction {
        READ("read", AuditEventAction.R),
        CREATE("create", AuditEventAction.C),
        UPDATE("update", AuditEventAction.U),
        OPERATION("operation", AuditEventAction.E);

        private final String code;
        private final AuditEventAction action;

        Interaction(String code, AuditEventAction action) {
            this.code = code;
            this.action = action;
        }
    }

    private final AuditTrail trail;

    MlAudit(AuditTrail trail) {
        this.trail = trail;
    }

    /** A request that succeeded on {@code what} (e.g. "dataset {id}"), with a description of the object. */
    void succeeded(HttpServletRequest http, Interaction interaction, String what, String description) {
        trail.record(event(http, interaction, AuditEventOutcome._0, null, what, description));
    }

    /** A request refused for its content (4xx), with the reason as outcome description. */
    void refused(HttpServletRequest http, Interaction interaction, String what, String reason) {
        trail.record(event(http, interaction, AuditEventOutcome._4, reason, what, null));
    }

    private static AuditEvent event(HttpServletRequest http, Interaction interaction, AuditEventOutcome outcome,
            String outcomeDescription, String what, String description) {
        AuditEvent event = RestAuditEvents.forRequest(http, AuditActor.current(), interaction.code, interaction.action,
                outcome);
        if (outcomeDescription != null) {
            event.setOutcomeDesc(outcomeDescription);
        }
        RestAuditEvents.addRequestEntity(event, http);
        event.addEntity().setName(what).setDescription(description);
        return event;
    }
}
