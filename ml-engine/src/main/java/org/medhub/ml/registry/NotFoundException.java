package org.medhub.ml.registry;

/** No such model, version or dataset. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
