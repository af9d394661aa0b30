package org.medhub.fhir.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import jakarta.servlet.http.HttpServletRequest;
import org.medhub.platform.audit.AuditTrail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every request HAPI refuses with 401 or 403 (HAPI's authorization interceptor throws
 * {@code ForbiddenOperationException}), with outcome 4 (minor failure), the resource type, id and
 * query asked for, and who asked from where. Requests Spring Security refuses never reach HAPI; the
 * platform's security layer records those ({@code RestAuditEvents.denied}).
 */
final class DeniedAccessAuditInterceptor {

    private static final Logger log = LoggerFactory.getLogger(DeniedAccessAuditInterceptor.class);

    private final AuditTrail trail;

    DeniedAccessAuditInterceptor(AuditTrail trail) {
        this.trail = trail;
    }

    /** Returns true: HAPI goes on to answer with its OperationOutcome. */
    @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
    public boolean refused(RequestDetails request, HttpServletRequest servletRequest, BaseServerResponseException exception) {
        int status = exception.getStatusCode();
        if (status == 401 || status == 403) {
            try {
                trail.record(FhirAuditEvents.denied(request, servletRequest, status, exception.getMessage()));
            } catch (RuntimeException e) {
                // The refusal stands either way; failing the error response as well would hide it from the client.
                log.error("Could not record the refused {} {} in the audit trail",
                        servletRequest.getMethod(), servletRequest.getRequestURI(), e);
            }
        }
        return true;
    }
}
