package org.medhub.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Reads a request body with its size limit enforced while reading, for the modules whose bodies are
 * small enough to hold in memory (FHIR resources, CDS Hooks calls, ML uploads): a declared
 * {@code Content-Length} above the limit is refused before a byte is read, and a body without one
 * (chunked) is refused as soon as one byte more than the limit has arrived. Each caller answers a
 * refusal in its own standard's shape, so this only says whether the body fitted.
 */
public final class CappedBody {

    /** What a byte array can hold (the JDK refuses arrays of {@code Integer.MAX_VALUE}). */
    private static final long LARGEST_ARRAY = Integer.MAX_VALUE - 8;

    private CappedBody() {}

    /** The body's bytes, or empty when it is longer than {@code maxBytes} (declared or sent). */
    public static Optional<byte[]> read(HttpServletRequest request, long maxBytes) throws IOException {
        if (request.getContentLengthLong() > maxBytes) {
            return Optional.empty();
        }
        try (InputStream body = request.getInputStream()) {
            // readNBytes grows its buffer as bytes arrive; it never allocates the limit up front.
            byte[] bytes = body.readNBytes((int) Math.min(LARGEST_ARRAY, maxBytes + 1));
            return bytes.length > maxBytes ? Optional.empty() : Optional.of(bytes);
        }
    }
}
