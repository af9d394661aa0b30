package org.medhub.fhir.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.r4.model.AuditEvent;
import org.medhub.platform.security.MedHubRole;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * AuditEvents are for admins only, and only when asked for. Not an authorization rule: HAPI applies
 * a {@code deny read} rule of one resource type to every {@code _getpages} request, whose type it
 * cannot know up front, so such a rule refused non-admins the next page of any search
 * (hapi-fhir#3866). Instead this refuses a non-admin's request addressed to AuditEvent (403 like a
 * denied rule, and audited as one), and leaves AuditEvents out of every answer to a request not
 * addressed to AuditEvent, admins' included: an event names its patient by literal reference (so
 * that {@code AuditEvent?patient=} works), which puts it into the patient's compartment, but the
 * audit log is not part of the patient's record ({@code Patient/$everything},
 * {@code _revinclude=*}).
 */
@Interceptor
final class AuditEventReadGuard {

    private static final String DETAIL = "audit records are for admins";

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean addressedToAuditEvent(RequestDetails request) {
        if ("AuditEvent".equals(request.getResourceName()) && !callerIsAdmin()) {
            throw new ForbiddenOperationException(DETAIL);
        }
        return true;
    }

    @Hook(Pointcut.STORAGE_PRESHOW_RESOURCES)
    public void showing(IPreResourceShowDetails resources, RequestDetails request) {
        if (!(request instanceof ServletRequestDetails)) {
            return; // the server's own work (bulk export jobs, the audit trail), not a caller's request
        }
        // A later page of a search names no resource type: there only admins see AuditEvents.
        boolean askedForAuditEvents = "AuditEvent".equals(request.getResourceName())
                || request.getRestOperationType() == RestOperationTypeEnum.GET_PAGE;
        for (int i = 0; i < resources.size(); i++) {
            if (resources.getResource(i) instanceof AuditEvent) {
                if (!askedForAuditEvents && !isHistory(request)) {
                    resources.setResource(i, null);
                } else if (!callerIsAdmin()) {
                    throw new ForbiddenOperationException(DETAIL);
                }
            }
        }
    }

    /**
     * HAPI's history answers cannot leave a resource out (a hidden entry ends in a 500), and the
     * server's or a type's history is not a patient's record: there AuditEvents are shown to admins
     * and refuse everyone else.
     */
    private static boolean isHistory(RequestDetails request) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        return operation == RestOperationTypeEnum.HISTORY_SYSTEM || operation == RestOperationTypeEnum.HISTORY_TYPE
                || operation == RestOperationTypeEnum.HISTORY_INSTANCE;
    }

    private static boolean callerIsAdmin() {
        return MedHubRole.of(SecurityContextHolder.getContext().getAuthentication()).contains(MedHubRole.ADMIN);
    }
}
