package org.medhub.ml.request;

/**
 * The client asked for something the ML API does not accept (a limit exceeded, a malformed name or
 * parameter, a missing reason): 400 with this message. A plain {@link IllegalArgumentException} from
 * the engine or a library is a bug, answered 500 without its message. It extends
 * {@code IllegalArgumentException} so that code checking arguments keeps its contract.
 */
public class InvalidRequestException extends IllegalArgumentException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
