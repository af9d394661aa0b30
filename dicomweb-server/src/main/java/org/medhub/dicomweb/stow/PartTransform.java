package org.medhub.dicomweb.stow;

import java.io.IOException;
import java.io.InputStream;

/**
 * Changes a STOW-RS part before anything of it is stored (the de-identifying route): takes the part
 * as received, gives the object to store instead, or refuses it with a PS3.18 failure reason.
 */
@FunctionalInterface
public interface PartTransform {

    InputStream apply(InputStream part) throws IOException, RejectedPartException;

    /** The part is not stored; {@code reason} and the message go into its FailedSOPSequence item. */
    final class RejectedPartException extends Exception {

        private final int reason;

        public RejectedPartException(int reason, String message) {
            super(message);
            this.reason = reason;
        }

        public int reason() {
            return reason;
        }
    }
}
