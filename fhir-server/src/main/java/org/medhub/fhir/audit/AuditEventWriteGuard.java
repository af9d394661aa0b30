package org.medhub.fhir.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;

/**
 * Keeps the audit log append-only: no one, admins included, creates, changes or deletes an
 * {@code AuditEvent} through the REST API (in a transaction bundle either). Registered on the REST
 * server, so the audit trail's own writes, which go through the DAO, are not affected.
 */
final class AuditEventWriteGuard {

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void creating(IBaseResource resource) {
        refuseAuditEvent(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updating(IBaseResource previous, IBaseResource resource) {
        refuseAuditEvent(previous);
        refuseAuditEvent(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
    public void deleting(IBaseResource resource) {
        refuseAuditEvent(resource);
    }

    private static void refuseAuditEvent(IBaseResource resource) {
        if (resource instanceof AuditEvent) {
            throw new ForbiddenOperationException(
                    "AuditEvents are written by the server's audit trail only; they cannot be created, changed"
                            + " or deleted through the API");
        }
    }
}
