package org.medhub.ml.api;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.medhub.platform.web.CappedBody;
import org.springframework.util.unit.DataSize;

/**
 * Reads an upload's body with its size limit enforced while reading ({@link CappedBody}); a refusal is
 * the ML API's 413 naming the setting. Nothing of a refused body is kept.
 */
final class BoundedBody {

    private BoundedBody() {}

    /**
     * @param what what the body is, for the message ("the CSV")
     * @param setting the {@code medhub.ml.*} setting that holds the limit, named in the 413
     */
    static byte[] read(HttpServletRequest request, DataSize limit, String what, String setting) {
        try {
            return CappedBody.read(request, limit.toBytes())
                    .orElseThrow(() -> new MlProblems.PayloadTooLargeException(what, limit, setting));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the request body", e);
        }
    }
}
