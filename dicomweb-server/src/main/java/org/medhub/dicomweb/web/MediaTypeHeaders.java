package org.medhub.dicomweb.web;

import java.util.List;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * Media types from request headers (Content-Type, Accept, a part's Content-Type, the {@code accept}
 * parameter), which a hostile client writes: Spring's parser throws more than its declared
 * {@link InvalidMediaTypeException} on some of them (a {@link StringIndexOutOfBoundsException} for
 * {@code "x/y:z}, found by MultipartReaderFuzzTest), which would answer 500. Every header value goes
 * through here, so a value the parser cannot read is always the client's error.
 */
public final class MediaTypeHeaders {

    private MediaTypeHeaders() {}

    /** @throws InvalidMediaTypeException for any value the parser cannot read */
    public static MediaType parse(String value) {
        try {
            return MediaType.parseMediaType(value);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw unreadable(value, e);
        }
    }

    /** A comma-separated list (an Accept header). @throws InvalidMediaTypeException as {@link #parse} */
    public static List<MediaType> parseList(String value) {
        try {
            return MediaType.parseMediaTypes(value);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw unreadable(value, e);
        }
    }

    private static InvalidMediaTypeException unreadable(String value, RuntimeException e) {
        return e instanceof InvalidMediaTypeException invalid ? invalid
                : new InvalidMediaTypeException(value, "unreadable media type");
    }
}
