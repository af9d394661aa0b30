package org.medhub.dicomweb.wado;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * What a WADO-RS client accepts (PS3.18 8.7.3): the multipart payload type and transfer syntax, or
 * a single-part JSON type.
 */
final class AcceptedTypes {

    /**
     * A parameter value with a '/' left unquoted, as in PS3.18's own examples and what OHIF and
     * dicomweb-client send ({@code type=application/octet-stream}); RFC 2045 wants it quoted.
     */
    private static final Pattern UNQUOTED_SLASH_VALUE = Pattern.compile("=\\s*([^\"\\s;,=]*/[^\"\\s;,=]*)");

    private final List<MediaType> accepted;

    private AcceptedTypes(List<MediaType> accepted) {
        this.accepted = accepted;
    }

    static AcceptedTypes of(String acceptHeader) {
        if (acceptHeader == null || acceptHeader.isBlank()) {
            return new AcceptedTypes(List.of(MediaType.ALL));
        }
        try {
            String quoted = UNQUOTED_SLASH_VALUE.matcher(acceptHeader).replaceAll("=\"$1\"");
            return new AcceptedTypes(MediaType.parseMediaTypes(quoted));
        } catch (InvalidMediaTypeException e) {
            return new AcceptedTypes(List.of());
        }
    }

    /**
     * Whether {@code multipart/related; type=<partType>} with the given transfer syntax is accepted
     * (no transfer-syntax parameter, {@code *}, or that syntax).
     */
    boolean acceptsMultipart(String partType, String transferSyntax) {
        for (MediaType type : accepted) {
            if (type.isWildcardType()) {
                return true;
            }
            if (!type.getType().equalsIgnoreCase("multipart")
                    || !(type.isWildcardSubtype() || type.getSubtype().equalsIgnoreCase("related"))) {
                continue;
            }
            String requestedPart = unquote(type.getParameter("type"));
            if (requestedPart != null && !requestedPart.equalsIgnoreCase(partType)) {
                continue;
            }
            String syntax = unquote(type.getParameter("transfer-syntax"));
            if (syntax == null || syntax.equals("*") || syntax.equals(transferSyntax)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code application/dicom+json} (or {@code application/json}) is accepted. */
    boolean acceptsDicomJson() {
        for (MediaType type : accepted) {
            String full = (type.getType() + "/" + type.getSubtype()).toLowerCase(Locale.ROOT);
            if (type.isWildcardType() || full.equals("application/dicom+json") || full.equals("application/json")
                    || full.equals("application/*")) {
                return true;
            }
        }
        return false;
    }

    private static String unquote(String value) {
        if (value != null && value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
