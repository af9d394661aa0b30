package org.medhub.cdshooks.request;

/** The request body is larger than {@code medhub.cds.max-request-bytes} (413). */
public final class RequestTooLargeException extends RuntimeException {

    public RequestTooLargeException(long limit) {
        super("the request body exceeds medhub.cds.max-request-bytes (" + limit + " bytes)");
    }
}
