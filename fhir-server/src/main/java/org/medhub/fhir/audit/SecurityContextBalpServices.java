package org.medhub.fhir.audit;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditContextServices;
import jakarta.annotation.Nonnull;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Reference;
import org.medhub.platform.audit.AuditActor;

/**
 * Tells the BALP interceptor who is behind a request: user and client from the bearer token Spring
 * Security validated (the request runs on the thread that holds its security context), the network
 * address from the servlet request (client IP; {@code X-Forwarded-For} is honoured by Spring's
 * forwarded-header handling before HAPI sees the request).
 */
final class SecurityContextBalpServices implements IBalpAuditContextServices {

    @Nonnull
    @Override
    public Reference getAgentClientWho(RequestDetails requestDetails) {
        return AuditActor.current().clientReference();
    }

    @Nonnull
    @Override
    public Reference getAgentUserWho(RequestDetails requestDetails) {
        return AuditActor.current().userReference();
    }

    /**
     * {@code Patient/123}: relative and versionless, where HAPI's default is the absolute versioned
     * URL of the server the request came in through, which differs between proxies and ports and
     * would make the same patient look like several in the audit log.
     */
    @Nonnull
    @Override
    public String massageResourceIdForStorage(
            @Nonnull RequestDetails requestDetails, @Nonnull IBaseResource resource, @Nonnull IIdType resourceId) {
        return resourceId.toUnqualifiedVersionless().getValue();
    }
}
