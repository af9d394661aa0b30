package org.medhub.fhir.audit;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Coding;
import org.medhub.platform.audit.AuditActor;
import org.medhub.platform.audit.RestAuditEvents;

/** BALP-shaped events for FHIR requests the BALP interceptor does not cover (operations, history, refusals). */
final class FhirAuditEvents {

    /** Second {@code subtype} coding of an operation event: the operation's name, e.g. {@code $export}. */
    static final String OPERATION_SYSTEM = "urn:medhub:fhir-operation";

    private FhirAuditEvents() {}

    /** An access that succeeded. */
    static AuditEvent succeeded(RequestDetails request, jakarta.servlet.http.HttpServletRequest servletRequest) {
        RestOperationTypeEnum type = request.getRestOperationType();
        AuditEvent event = RestAuditEvents.forRequest(servletRequest, AuditActor.current(),
                FhirInteractions.interaction(type), FhirInteractions.action(type), AuditEventOutcome._0);
        describe(event, request, servletRequest);
        return event;
    }

    /** A request refused with 401 or 403: the FHIR interaction when HAPI got as far as knowing it. */
    static AuditEvent denied(
            RequestDetails request, jakarta.servlet.http.HttpServletRequest servletRequest, int status, String reason) {
        AuditEvent event = RestAuditEvents.denied(servletRequest, status);
        RestOperationTypeEnum type = request == null ? null : request.getRestOperationType();
        if (type != null) {
            String interaction = FhirInteractions.interaction(type);
            event.getSubtypeFirstRep().setCode(interaction).setDisplay(interaction);
            event.setAction(FhirInteractions.action(type));
            RestAuditEvents.shapeAgents(event);
        }
        if (reason != null && !reason.isBlank()) {
            event.setOutcomeDesc(event.getOutcomeDesc() + ": " + reason);
        }
        if (request != null) {
            describe(event, request, null);
        }
        return event;
    }

    /** Observer, operation name, the request as query entity (unless there already is one), and the resource. */
    private static void describe(
            AuditEvent event, RequestDetails request, jakarta.servlet.http.HttpServletRequest servletRequest) {
        if (request.getFhirServerBase() != null) {
            event.getSource().getObserver().setDisplay(request.getFhirServerBase());
        }
        RestOperationTypeEnum type = request.getRestOperationType();
        if (type != null && FhirInteractions.isOperation(type) && request.getOperation() != null) {
            event.addSubtype(new Coding(OPERATION_SYSTEM, request.getOperation(), request.getOperation()));
        }
        if (servletRequest != null) {
            RestAuditEvents.addRequestEntity(event, servletRequest);
        }
        IIdType id = request.getId();
        String resourceType = request.getResourceName();
        if (resourceType != null && id != null && id.hasIdPart()) {
            String reference = resourceType + "/" + id.getIdPart();
            if (resourceType.equals("Patient")) {
                RestAuditEvents.addPatientEntity(event, reference);
            } else {
                RestAuditEvents.addDataEntity(event, reference);
            }
        }
    }
}
