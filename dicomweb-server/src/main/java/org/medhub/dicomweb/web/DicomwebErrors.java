package org.medhub.dicomweb.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Error responses of {@code /dicomweb}: the PS3.18 status code with a {@code application/dicom+json}
 * body whose ErrorComment (0000,0902) says what was wrong. Never a stack trace.
 */
public final class DicomwebErrors {

    /** Request attribute: the ErrorComment of the error answer, for the audit record of a failed read. */
    public static final String ERROR_COMMENT = DicomwebErrors.class.getName() + ".errorComment";

    private DicomwebErrors() {}

    public static ResponseEntity<ObjectNode> response(HttpStatus status, String message) {
        ObjectNode body = DicomJson.dataset();
        DicomJson.string(body, "00000902", "LO", message);
        return ResponseEntity.status(status).contentType(MediaType.parseMediaType(DicomJson.MEDIA_TYPE)).body(body);
    }

    /** A client error an endpoint reports with the given status and message. */
    public static final class DicomwebException extends RuntimeException {

        private final HttpStatus status;

        public DicomwebException(HttpStatus status, String message) {
            super(message);
            this.status = status;
        }

        public HttpStatus status() {
            return status;
        }
    }
}
