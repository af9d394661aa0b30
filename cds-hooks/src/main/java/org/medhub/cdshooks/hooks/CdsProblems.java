package org.medhub.cdshooks.hooks;

import java.net.URI;
import org.medhub.cdshooks.prefetch.PrefetchUnavailableException;
import org.medhub.cdshooks.security.ClientTokenException;
import org.medhub.ml.registry.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
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
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
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

    @ExceptionHandler({IllegalArgumentException.class, HttpMessageNotReadableException.class})
    ProblemDetail badRequest(Exception e) {
        String detail = e instanceof HttpMessageNotReadableException
                ? "The request body is not a JSON CDS Hooks request" : e.getMessage();
        return problem(HttpStatus.BAD_REQUEST, "bad-request", "Bad request", detail);
    }

    private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        problem.setTitle(title);
        return problem;
    }
}
