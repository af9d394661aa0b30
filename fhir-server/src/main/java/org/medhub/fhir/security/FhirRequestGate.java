package org.medhub.fhir.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.medhub.fhir.security.SmartScope.Interaction;
import org.medhub.platform.security.DeniedRequestListener;
import org.medhub.platform.web.CappedBody;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Stands in front of HAPI for requests with a body ({@code POST}, {@code PUT}, {@code PATCH}): HAPI
 * reads and parses the whole body before its authorization rules run, so a caller who may not write
 * could make the server read and parse any amount. Here, before a byte of the body is read, the
 * request is refused (403) when the caller's role and scopes could not permit it
 * ({@link FhirAccessPolicy#mayAttempt}), and refused (413) when it is larger than
 * {@code medhub.fhir.max-request-bytes}; a body without a declared length is read up to the cap.
 * HAPI's rules still decide everything finer (the patient compartment, each entry of a bundle).
 */
final class FhirRequestGate extends OncePerRequestFilter {

    private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH");

    private final long maxRequestBytes;
    private final ObjectProvider<DeniedRequestListener> deniedListeners;

    FhirRequestGate(long maxRequestBytes, ObjectProvider<DeniedRequestListener> deniedListeners) {
        this.maxRequestBytes = maxRequestBytes;
        this.deniedListeners = deniedListeners;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !WITH_BODY.contains(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        FhirAccessPolicy policy = FhirAccessPolicy.of(SecurityContextHolder.getContext().getAuthentication());
        if (!mayAttempt(policy, request.getMethod(), segments(request))) {
            deniedListeners.orderedStream().forEach(listener -> listener.denied(request, HttpServletResponse.SC_FORBIDDEN));
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "forbidden",
                    "The token does not grant this interaction (by role or SMART scopes).");
            return;
        }
        long declared = request.getContentLengthLong();
        if (declared > maxRequestBytes) {
            refuse(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "too-long", tooLarge());
            return;
        }
        if (declared < 0) {
            Optional<byte[]> body = CappedBody.read(request, maxRequestBytes);
            if (body.isEmpty()) {
                refuse(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "too-long", tooLarge());
                return;
            }
            chain.doFilter(new BufferedBodyRequest(request, body.get()), response);
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * The interaction a request with a body asks for, by FHIR's RESTful API (R4 3.1.0): {@code POST
     * [type]} creates, {@code POST [type]/_search} searches, {@code PUT} and {@code PATCH} of
     * {@code [type]/[id]} (or conditional ones) update; batches, transactions and operations need
     * some grant, and HAPI checks what they contain.
     */
    private static boolean mayAttempt(FhirAccessPolicy policy, String method, List<String> segments) {
        boolean operation = segments.stream().anyMatch(segment -> segment.startsWith("$"));
        if (segments.isEmpty() || operation || !Character.isUpperCase(segments.get(0).charAt(0))) {
            return policy.grantsAnything();
        }
        String type = segments.get(0);
        if (method.equals("POST")) {
            if (segments.size() == 1) {
                return policy.mayAttempt(Interaction.CREATE, type);
            }
            return segments.size() == 2 && segments.get(1).equals("_search")
                    ? policy.mayAttempt(Interaction.READ, type)
                    : policy.grantsAnything();
        }
        return policy.mayAttempt(Interaction.UPDATE, type);
    }

    /** The path below {@code /fhir}, split at {@code /}: {@code [Patient, 123]}. */
    private static List<String> segments(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String below = path.startsWith("/fhir") ? path.substring("/fhir".length()) : path;
        return Arrays.stream(below.split("/")).filter(segment -> !segment.isEmpty()).toList();
    }

    private String tooLarge() {
        return "The request body exceeds the limit of " + maxRequestBytes
                + " bytes (setting medhub.fhir.max-request-bytes).";
    }

    /**
     * An OperationOutcome (FHIR R4 3.1.0.3.4), sent at once; the connection is closed rather than
     * kept, so the unread rest of the body is never read either.
     */
    private static void refuse(HttpServletResponse response, int status, String code, String diagnostics)
            throws IOException {
        response.setStatus(status);
        response.setHeader("Connection", "close");
        response.setContentType("application/fhir+json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\""
                + code + "\",\"diagnostics\":\"" + diagnostics + "\"}]}");
        response.flushBuffer();
    }
}
