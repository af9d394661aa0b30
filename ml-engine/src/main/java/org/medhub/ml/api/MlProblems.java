package org.medhub.ml.api;

import java.io.UncheckedIOException;
import java.util.List;
import org.medhub.ml.dataset.DatasetException;
import org.medhub.ml.dataset.DatasetStore.DatasetNotFoundException;
import org.medhub.ml.jobs.QueueFullException;
import org.medhub.ml.prepare.SchemaViolationException;
import org.medhub.ml.registry.ConflictException;
import org.medhub.ml.registry.ModelExchange.InvalidModelFileException;
import org.medhub.ml.registry.NotFoundException;
import org.medhub.ml.request.InvalidRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** RFC 9457 problem details for everything {@code /ml/api} refuses; never a stack trace. */
@RestControllerAdvice(basePackages = "org.medhub.ml")
class MlProblems {

    private static final Logger log = LoggerFactory.getLogger(MlProblems.class);
    static final String TYPE_BASE = "urn:medhub:ml:problem:";
    /** A queued job of the demo's scale ends within about this long. */
    private static final String RETRY_AFTER_SECONDS = "30";

    @ExceptionHandler
    ProblemDetail schemaViolation(SchemaViolationException e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-input", "Input does not fit the model's feature schema", e.getMessage());
        problem.setProperty("field", e.field());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail invalidDataset(DatasetException e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-dataset", "The dataset cannot be used", e.getMessage());
        problem.setProperty("problems", e.problems());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail invalidModelFile(InvalidModelFileException e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-model-file", "The model file cannot be registered",
                e.getMessage());
        problem.setProperty("problems", e.problems());
        return problem;
    }

    @ExceptionHandler({NotFoundException.class, DatasetNotFoundException.class})
    ProblemDetail notFound(RuntimeException e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail conflict(ConflictException e) {
        return problem(HttpStatus.CONFLICT, "conflict", "Conflict", e.getMessage());
    }

    @ExceptionHandler({InvalidRequestException.class, HttpMessageNotReadableException.class,
        MissingServletRequestParameterException.class, MethodArgumentTypeMismatchException.class})
    ProblemDetail badRequest(Exception e) {
        String detail = e instanceof HttpMessageNotReadableException
                ? "The request body is not valid JSON of the expected shape"
                : e.getMessage();
        return problem(HttpStatus.BAD_REQUEST, "bad-request", "Bad request", detail);
    }

    @ExceptionHandler
    ProblemDetail payloadTooLarge(PayloadTooLargeException e) {
        ProblemDetail problem = problem(HttpStatus.PAYLOAD_TOO_LARGE, "too-large", "Payload too large", e.getMessage());
        problem.setProperty("limit", e.limit.toString());
        problem.setProperty("setting", e.setting);
        return problem;
    }

    /** A job queue is full: the server is busy, not the request wrong (RFC 9110 section 15.6.4, Retry-After). */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> queueFull(QueueFullException e) {
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "queue-full", "Too many jobs waiting", e.getMessage());
        problem.setProperty("limit", e.limit());
        problem.setProperty("setting", e.setting());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /** The body could not be read (the client went away mid-upload). */
    @ExceptionHandler
    ProblemDetail unreadable(UncheckedIOException e) {
        return problem(HttpStatus.BAD_REQUEST, "bad-request", "Bad request", "The request body could not be read");
    }

    /** A bug (the engine's or a library's), not the client's fault: nothing of it goes out. */
    @ExceptionHandler({IllegalStateException.class, IllegalArgumentException.class})
    ProblemDetail unexpected(RuntimeException e) {
        log.error("ML API request failed", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                "The request could not be completed; the server log has the details.");
    }

    static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(java.net.URI.create(TYPE_BASE + type));
        problem.setTitle(title);
        return problem;
    }

    /** An upload larger than its {@code medhub.ml.max-...-size} setting. */
    static class PayloadTooLargeException extends RuntimeException {
        private final DataSize limit;
        private final String setting;

        PayloadTooLargeException(String what, DataSize limit, String setting) {
            super(what + " is larger than " + limit + " (" + setting + ")");
            this.limit = limit;
            this.setting = setting;
        }
    }

    static List<String> nonNull(List<String> values) {
        return values == null ? List.of() : values;
    }
}
