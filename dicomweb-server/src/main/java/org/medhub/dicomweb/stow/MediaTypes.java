package org.medhub.dicomweb.stow;

import java.util.Locale;
import org.medhub.dicomweb.web.MediaTypeHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/** Content-Type handling for STOW-RS, liberal in what it accepts (PITFALLS.md: clients differ). */
final class MediaTypes {

    private MediaTypes() {}

    static boolean isDicom(String contentType) {
        try {
            MediaType type = MediaTypeHeaders.parse(contentType);
            return type.getType().equalsIgnoreCase("application") && type.getSubtype().equalsIgnoreCase("dicom");
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    /**
     * The boundary of a {@code multipart/related} request whose root type (if given) is
     * {@code application/dicom}; null when the boundary parameter is missing (a malformed request).
     *
     * @throws UnsupportedContentTypeException for any other media type (415)
     */
    static String relatedBoundary(String contentType) throws UnsupportedContentTypeException {
        if (contentType == null) {
            throw new UnsupportedContentTypeException("Content-Type missing; expected multipart/related; type=\"application/dicom\"");
        }
        MediaType type;
        try {
            type = MediaTypeHeaders.parse(contentType);
        } catch (InvalidMediaTypeException e) {
            throw new UnsupportedContentTypeException("unreadable Content-Type: " + contentType);
        }
        if (!type.getType().equalsIgnoreCase("multipart") || !type.getSubtype().equalsIgnoreCase("related")) {
            throw new UnsupportedContentTypeException(
                    "Content-Type " + type.getType() + "/" + type.getSubtype() + " not supported; expected multipart/related");
        }
        String root = unquote(type.getParameter("type"));
        if (root != null && !root.toLowerCase(Locale.ROOT).startsWith("application/dicom")
                || "application/dicom+json".equalsIgnoreCase(root) || "application/dicom+xml".equalsIgnoreCase(root)) {
            throw new UnsupportedContentTypeException("multipart/related type " + root
                    + " not supported; only application/dicom (PS3.10 binary) instances are accepted");
        }
        String boundary = unquote(type.getParameter("boundary"));
        return boundary == null || boundary.isEmpty() ? null : boundary;
    }

    private static String unquote(String value) {
        if (value != null && value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    /** The request's media type is not one STOW-RS accepts. */
    static final class UnsupportedContentTypeException extends Exception {
        UnsupportedContentTypeException(String message) {
            super(message);
        }
    }
}
