package org.medhub.platform.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 401 and 403 answers in the shape each API's standard expects: an OperationOutcome under
 * {@code /fhir}, RFC 9457 problem details elsewhere; the {@code WWW-Authenticate} header as RFC 6750
 * prescribes in both cases. The body never echoes the token or the reason it failed beyond the
 * standard error code.
 */
final class DeniedResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final BearerTokenAuthenticationEntryPoint bearerEntryPoint = new BearerTokenAuthenticationEntryPoint();
    private final BearerTokenAccessDeniedHandler bearerDeniedHandler = new BearerTokenAccessDeniedHandler();
    private final DeniedRequestListener listener;

    DeniedResponses(DeniedRequestListener listener) {
        this.listener = listener;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException {
        bearerEntryPoint.commence(request, response, exception);
        listener.denied(request, HttpServletResponse.SC_UNAUTHORIZED);
        writeBody(request, response, "login", "A valid bearer token from the MedHub identity provider is required.");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException exception)
            throws IOException {
        bearerDeniedHandler.handle(request, response, exception);
        listener.denied(request, HttpServletResponse.SC_FORBIDDEN);
        writeBody(request, response, "forbidden", "The token does not grant access to this resource.");
    }

    private static void writeBody(HttpServletRequest request, HttpServletResponse response, String code, String text)
            throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String body;
        if (path.startsWith("/fhir")) {
            response.setContentType("application/fhir+json");
            body = "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"" + code
                    + "\",\"diagnostics\":\"" + text + "\"}]}";
        } else {
            response.setContentType("application/problem+json");
            int status = response.getStatus();
            body = "{\"type\":\"about:blank\",\"title\":\"" + (status == 401 ? "Unauthorized" : "Forbidden")
                    + "\",\"status\":" + status + ",\"detail\":\"" + text + "\"}";
        }
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
}
