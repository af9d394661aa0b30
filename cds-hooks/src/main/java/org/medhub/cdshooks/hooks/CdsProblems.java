package org.medhub.cdshooks.hooks;

import java.net.URI;
import org.medhub.cdshooks.feedback.UnknownCardException;
import org.medhub.cdshooks.prefetch.PrefetchUnavailableException;
import org.medhub.cdshooks.request.BadRequestException;
import org.medhub.cdshooks.request.RequestTooLargeException;
import org.medhub.cdshooks.security.ClientTokenException;
import org.medhub.ml.registry.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * CDS Hooks defines the status codes (401 for a bad client JWT, 412 when the data cannot be had) but
 * no error body; MedHub answers RFC 9457 problem+json, never a stack trace.
 */
@RestControllerAdvice(basePackageClasses = CdsProblems.class)
class CdsProblems {

    private static final Logger log = LoggerFactory.getLogger(CdsProblems.class);
    private static final String TYPE_BASE = "urn:medhub:cds:problem:";

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unauthorized(ClientTokenException e) {
        log.info("CDS call refused: {}", e.getMessage());
        // The body was not read: close the connection rather than have the container drain it.
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
                .header(HttpHeaders.CONNECTION, "close")
                .body(problem(HttpStatus.UNAUTHORIZED, "invalid-client-token", "The CDS client's JWT is not accepted",
                        e.getMessage()));
    }

    @ExceptionHandler
    ProblemDetail preconditionFailed(PrefetchUnavailableException e) {
        return problem(HttpStatus.PRECONDITION_FAILED, "data-unavailable", "The service cannot get the data it needs",
                e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail unknownCard(UnknownCardException e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail badRequest(BadRequestException e) {
        return problem(HttpStatus.BAD_REQUEST, "bad-request", "Bad request", e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> tooLarge(RequestTooLargeException e) {
        // The rest of the body is not read; closing the connection spares both sides the upload.
        return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).header(HttpHeaders.CONNECTION, "close")
                .body(problem(HttpStatus.PAYLOAD_TOO_LARGE, "request-too-large", "Request body too large", e.getMessage()));
    }

    private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        problem.setTitle(title);
        return problem;
    }
}
