package org.medhub.cdshooks.feedback;

/** Feedback names a card the service did not issue (404: the client has the wrong uuid or service). */
public class UnknownCardException extends RuntimeException {

    public UnknownCardException(String message) {
        super(message);
    }
}
