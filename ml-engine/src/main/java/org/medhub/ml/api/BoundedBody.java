package org.medhub.ml.api;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.util.unit.DataSize;

/**
 * Reads an upload's body with its size limit enforced while reading: a declared {@code Content-Length}
 * above the limit is refused before a byte is read, and a body without one (chunked) is refused as soon
 * as one byte more than the limit has arrived. Nothing of a refused body is kept.
 */
final class BoundedBody {

    private BoundedBody() {}

    /**
     * @param what what the body is, for the message ("the CSV")
     * @param setting the {@code medhub.ml.*} setting that holds the limit, named in the 413
     */
    static byte[] read(HttpServletRequest request, DataSize limit, String what, String setting) {
        long max = limit.toBytes();
        if (request.getContentLengthLong() > max) {
            throw new MlProblems.PayloadTooLargeException(what, limit, setting);
        }
        try (InputStream body = request.getInputStream()) {
            // readNBytes grows its buffer as bytes arrive; it never allocates the limit up front.
            byte[] bytes = body.readNBytes((int) max + 1);
            if (bytes.length > max) {
                throw new MlProblems.PayloadTooLargeException(what, limit, setting);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the request body", e);
        }
    }
}
