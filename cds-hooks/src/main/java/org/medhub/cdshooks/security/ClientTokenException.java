package org.medhub.cdshooks.security;

/** A CDS client's JWT was missing or not acceptable: the call is answered 401. */
public final class ClientTokenException extends RuntimeException {

    public ClientTokenException(String message) {
        super(message);
    }
}
