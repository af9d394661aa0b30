package org.medhub.dicomweb.stow;

import java.io.IOException;

/** The request body is not well-formed {@code multipart/related}. */
final class MalformedMultipartException extends IOException {

    MalformedMultipartException(String message) {
        super(message);
    }
}
