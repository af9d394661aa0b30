package org.medhub.fhir.audit;

import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.storage.interceptor.balp.BalpAuditCaptureInterceptor;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditContextServices;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;

/**
 * HAPI's BALP interceptor, ordered after HAPI's consent (order 100) and authorization (order 200)
 * interceptors. Unordered it runs at 0, first: it would record a successful read in
 * {@code STORAGE_PRESHOW_RESOURCES} before the authorization interceptor refused to show the
 * resource, and would see resources a consent rule then filters out.
 */
@Interceptor(order = AfterAuthorizationBalpInterceptor.ORDER)
final class AfterAuthorizationBalpInterceptor extends BalpAuditCaptureInterceptor {

    /** After {@code AuthorizationConstants.ORDER_AUTH_INTERCEPTOR} (200) and its converter (300). */
    static final int ORDER = 1000;

    AfterAuthorizationBalpInterceptor(IBalpAuditEventSink sink, IBalpAuditContextServices contextServices) {
        super(sink, contextServices);
    }
}
