package org.medhub.dicomweb.wado;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.medhub.dicomweb.index.IndexedInstance;
import org.medhub.dicomweb.web.DicomwebErrors;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Audits every read that fails after {@link StoredInstances#found} found its instances, whatever
 * failed and wherever: an error answer (406, 500 ...) or an exception that aborted the answer. One
 * place for all retrievals (WADO-RS, rendered, WADO-URI), so a new failure path cannot skip the record.
 */
final class FailedReadAudit implements HandlerInterceptor {

    private final StoredInstances lookup;

    FailedReadAudit(StoredInstances lookup) {
        this.lookup = lookup;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        if (!(request.getAttribute(StoredInstances.FOUND) instanceof List<?> found) || found.isEmpty()) {
            return;
        }
        int status = ex != null && response.getStatus() < 400 ? 500 : response.getStatus();
        if (ex == null && status < 400) {
            return;
        }
        Object comment = request.getAttribute(DicomwebErrors.ERROR_COMMENT);
        String outcome = status + " " + (comment != null ? comment
                : ex != null ? "answer aborted: " + ex.getClass().getSimpleName() : "read failed");
        @SuppressWarnings("unchecked")
        List<IndexedInstance> instances = (List<IndexedInstance>) found;
        lookup.auditFailure(request, instances, outcome);
    }
}
