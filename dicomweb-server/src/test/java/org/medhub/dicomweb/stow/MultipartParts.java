package org.medhub.dicomweb.stow;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;

/** Test helper: the parts of a multipart/related response, read with the server's own reader. */
public final class MultipartParts {

    private MultipartParts() {}

    /** One part: its headers (lower-case names) and body. */
    public record Body(Map<String, String> headers, byte[] bytes) {}

    public static List<Body> parse(String contentType, byte[] body) {
        String boundary = MediaType.parseMediaType(contentType).getParameter("boundary");
        if (boundary.startsWith("\"")) {
            boundary = boundary.substring(1, boundary.length() - 1);
        }
        try {
            MultipartReader reader = new MultipartReader(new ByteArrayInputStream(body), boundary);
            List<Body> parts = new ArrayList<>();
            MultipartReader.Part part;
            while ((part = reader.next()) != null) {
                parts.add(new Body(part.headers(), part.body().readAllBytes()));
            }
            return parts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
