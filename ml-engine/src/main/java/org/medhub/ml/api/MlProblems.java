package org.medhub.ml.api;

import java.util.List;
import org.medhub.ml.dataset.DatasetException;
import org.medhub.ml.dataset.DatasetStore.DatasetNotFoundException;
import org.medhub.ml.prepare.SchemaViolationException;
import org.medhub.ml.registry.ConflictException;
import org.medhub.ml.registry.ModelExchange.InvalidModelFileException;
import org.medhub.ml.registry.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** RFC 9457 problem details for everything {@code /ml/api} refuses; never a stack trace. */
@RestControllerAdvice(basePackageClasses = MlProblems.class)
class MlProblems {

    private static final Logger log = LoggerFactory.getLogger(MlProblems.class);
    static final String TYPE_BASE = "urn:medhub:ml:problem:";

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

    @ExceptionHandler({IllegalArgumentException.class, HttpMessageNotReadableException.class,
        MissingServletRequestParameterException.class, MethodArgumentTypeMismatchException.class})
    ProblemDetail badRequest(Exception e) {
        String detail = e instanceof HttpMessageNotReadableException
                ? "The request body is not valid JSON of the expected shape"
                : e.getMessage();
        return problem(HttpStatus.BAD_REQUEST, "bad-request", "Bad request", detail);
    }

    @ExceptionHandler
    ProblemDetail payloadTooLarge(PayloadTooLargeException e) {
        return problem(HttpStatus.PAYLOAD_TOO_LARGE, "too-large", "Payload too large", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail unexpected(IllegalStateException e) {
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

    /** An upload larger than {@code medhub.ml.max-dataset-size}. */
    static class PayloadTooLargeException extends RuntimeException {
        PayloadTooLargeException(String message) {
            super(message);
        }
    }

    static List<String> nonNull(List<String> values) {
        return values == null ? List.of() : values;
    }
}
