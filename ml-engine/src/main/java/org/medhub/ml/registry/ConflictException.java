package org.medhub.ml.registry;

/** The request conflicts with the registry's state (e.g. deleting the active version). */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
