package org.medhub.fhir.audit;

import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.GET_PAGE;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.HISTORY_INSTANCE;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.HISTORY_SYSTEM;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.HISTORY_TYPE;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.READ;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.SEARCH_SYSTEM;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.SEARCH_TYPE;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.VREAD;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.EnumSet;
import java.util.Set;
import org.medhub.platform.audit.AuditTrail;

/**
 * Audits the accesses HAPI's BALP interceptor leaves out: it covers read, vread, search and the
 * writes, but not history, operations ({@code $export} kick-off, {@code $everything}, ...), nor
 * searches that show no resource ({@code _summary=count}).
 *
 * <p>Recorded when the resources are about to be shown, before they leave the server, or, for
 * requests that show none ({@code $export} answers 202), when HAPI has processed them.
 */
@Interceptor(order = AfterAuthorizationBalpInterceptor.ORDER)
final class FhirAccessAuditInterceptor {

    private static final String AUDITED = FhirAccessAuditInterceptor.class.getName() + ".audited";
    /** What the BALP interceptor records itself when resources are shown. */
    private static final Set<RestOperationTypeEnum> BALP = EnumSet.of(READ, VREAD, SEARCH_TYPE, SEARCH_SYSTEM, GET_PAGE);
    private static final Set<RestOperationTypeEnum> SEARCHES = EnumSet.of(SEARCH_TYPE, SEARCH_SYSTEM, GET_PAGE);
    private static final Set<RestOperationTypeEnum> HISTORY = EnumSet.of(HISTORY_INSTANCE, HISTORY_TYPE, HISTORY_SYSTEM);
    /** Polling an export's status shows no patient data and clients poll every few seconds. */
    private static final Set<String> UNAUDITED_OPERATIONS = Set.of("$export-poll-status");

    private final AuditTrail trail;

    FhirAccessAuditInterceptor(AuditTrail trail) {
        this.trail = trail;
    }

    @Hook(Pointcut.STORAGE_PRESHOW_RESOURCES)
    public void resourcesShown(ServletRequestDetails request) {
        if (request == null || request.getUserData().containsKey(AUDITED)) {
            return;
        }
        RestOperationTypeEnum type = request.getRestOperationType();
        if (type == null) {
            return;
        }
        if (BALP.contains(type)) {
            request.getUserData().put(AUDITED, Boolean.TRUE);
        } else if (supplemented(request, type)) {
            request.getUserData().put(AUDITED, Boolean.TRUE);
            trail.record(FhirAuditEvents.succeeded(request, request.getServletRequest()));
        }
    }

    @Hook(Pointcut.SERVER_PROCESSING_COMPLETED_NORMALLY)
    public void completed(ServletRequestDetails request) {
        if (request == null || request.getUserData().containsKey(AUDITED)) {
            return;
        }
        RestOperationTypeEnum type = request.getRestOperationType();
        if (type != null && (SEARCHES.contains(type) || supplemented(request, type))) {
            request.getUserData().put(AUDITED, Boolean.TRUE);
            trail.record(FhirAuditEvents.succeeded(request, request.getServletRequest()));
        }
    }

    private static boolean supplemented(ServletRequestDetails request, RestOperationTypeEnum type) {
        if (HISTORY.contains(type)) {
            return true;
        }
        return FhirInteractions.isOperation(type) && !UNAUDITED_OPERATIONS.contains(request.getOperation());
    }
}
