package org.medhub.platform.security;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Told about every request the security layer refuses before any module sees it, so the refusal can
 * be audited. The platform's audit trail provides the implementation.
 */
@FunctionalInterface
public interface DeniedRequestListener {

    /** @param status 401 (no or invalid token) or 403 (token without the permission) */
    void denied(HttpServletRequest request, int status);
}
