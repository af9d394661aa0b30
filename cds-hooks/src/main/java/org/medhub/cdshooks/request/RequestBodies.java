package org.medhub.cdshooks.request;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.medhub.platform.web.CappedBody;

/**
 * Reads a CDS client's JSON body, at most {@code medhub.cds.max-request-bytes} of it. Called only
 * once the client's JWT is verified: an unauthenticated caller never gets the server to read, let
 * alone parse, what it sends. The cap is enforced while reading ({@link CappedBody}).
 */
public final class RequestBodies {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final int maxBytes;

    public RequestBodies(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The body's bytes. */
    public byte[] read(HttpServletRequest request) throws IOException {
        return CappedBody.read(request, maxBytes).orElseThrow(() -> new RequestTooLargeException(maxBytes));
    }

    /**
     * JSON to {@code type}; anything that is not such JSON is a {@link BadRequestException}, never
     * another exception (the fuzz target {@code HookRequestFuzzTest} holds this to account).
     */
    public static <T> T parse(byte[] body, Class<T> type) {
        T parsed;
        try {
            parsed = JSON.readValue(body, type);
        } catch (JacksonException e) {
            throw new BadRequestException("the request body is not a JSON CDS Hooks request");
        } catch (IOException e) {
            throw new BadRequestException("the request body cannot be read");
        }
        if (parsed == null) {
            throw new BadRequestException("the request body is empty or JSON null");
        }
        return parsed;
    }
}
