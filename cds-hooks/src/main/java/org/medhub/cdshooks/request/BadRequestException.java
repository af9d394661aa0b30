package org.medhub.cdshooks.request;

/** The client's request is not one the service can answer (400); the message says why, for the client. */
public final class BadRequestException extends RuntimeException {

    public BadRequestException(String message) {
        super(message);
    }
}
