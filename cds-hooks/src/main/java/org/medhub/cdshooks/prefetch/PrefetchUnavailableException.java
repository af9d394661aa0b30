package org.medhub.cdshooks.prefetch;

/** The service could not obtain the data it needs (CDS Hooks 2.0: answered 412 Precondition Failed). */
public final class PrefetchUnavailableException extends RuntimeException {

    public PrefetchUnavailableException(String message) {
        super(message);
    }
}
