package org.medhub.dicomweb.wado;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.medhub.dicomweb.web.MediaTypeHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * What a WADO-RS client accepts (PS3.18 8.7.3): the multipart payload type and transfer syntax, or
 * a single-part JSON type.
 */
final class AcceptedTypes {

    private static final Pattern UNQUOTED_TYPE = Pattern.compile("(?i)(;\\s*type\\s*=\\s*)([^\";,\\s]+)");

    private final List<MediaType> accepted;

    private AcceptedTypes(List<MediaType> accepted) {
        this.accepted = accepted;
    }

    static AcceptedTypes of(String acceptHeader) {
        if (acceptHeader == null || acceptHeader.isBlank()) {
            return new AcceptedTypes(List.of(MediaType.ALL));
        }
        try {
            return new AcceptedTypes(parse(acceptHeader));
        } catch (InvalidMediaTypeException e) {
            return new AcceptedTypes(List.of());
        }
    }

    /**
     * Parses an Accept value. OHIF and other clients send {@code type=application/octet-stream}
     * unquoted, which RFC 9110 does not allow ('/' is not a token character) and Spring refuses:
     * such values are quoted first.
     */
    static List<MediaType> parse(String accept) {
        return MediaTypeHeaders.parseList(UNQUOTED_TYPE.matcher(accept).replaceAll("$1\"$2\""));
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

    /**
     * Whether {@code multipart/related; type=<partType>} is asked for with exactly this transfer syntax
     * or {@code *}: the client takes a compressed payload, which it never does by default (PS3.18 8.7.3.5).
     */
    boolean asksForSyntax(String partType, String transferSyntax) {
        for (MediaType type : accepted) {
            if (type.getType().equalsIgnoreCase("multipart") && partType.equalsIgnoreCase(unquote(type.getParameter("type")))) {
                String syntax = unquote(type.getParameter("transfer-syntax"));
                if ("*".equals(syntax) || transferSyntax.equals(syntax)) {
                    return true;
                }
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
