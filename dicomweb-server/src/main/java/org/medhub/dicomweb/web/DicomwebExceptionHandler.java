package org.medhub.dicomweb.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import org.medhub.dicomweb.web.DicomwebErrors.DicomwebException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Errors of {@code /dicomweb} endpoints in the PS3.18 shape, never with a stack trace. */
@RestControllerAdvice(basePackages = "org.medhub.dicomweb")
public class DicomwebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DicomwebExceptionHandler.class);

    @ExceptionHandler(DicomwebException.class)
    ResponseEntity<ObjectNode> clientError(DicomwebException e, HttpServletRequest request) {
        request.setAttribute(DicomwebErrors.ERROR_COMMENT, e.getMessage());
        return DicomwebErrors.response(e.status(), e.getMessage());
    }

    @ExceptionHandler(java.io.IOException.class)
    ResponseEntity<ObjectNode> storageError(java.io.IOException e, HttpServletRequest request) {
        log.error("DICOMweb request failed on the store", e);
        String message = "the server could not read or write its store";
        request.setAttribute(DicomwebErrors.ERROR_COMMENT, message);
        return DicomwebErrors.response(HttpStatus.INTERNAL_SERVER_ERROR, message);
    }
}
