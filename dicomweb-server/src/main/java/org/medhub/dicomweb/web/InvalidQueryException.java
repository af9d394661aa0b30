package org.medhub.dicomweb.web;

/**
 * A QIDO-RS query the server will not run as asked (an unknown or unsupported matching key, a value
 * that is no value of its VR, a key the de-identified view does not offer): a 400 whose message is
 * for the client. Only this is the client's fault; any other exception in a search is the server's
 * (500, with nothing of it in the response).
 */
public final class InvalidQueryException extends RuntimeException {

    public InvalidQueryException(String message) {
        super(message);
    }
}
