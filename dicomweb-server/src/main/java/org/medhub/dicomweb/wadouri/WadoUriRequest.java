package org.medhub.dicomweb.wadouri;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.medhub.dicomweb.dicom.VoiWindow;
import org.medhub.dicomweb.wado.RenderOptions;
import org.medhub.dicomweb.wado.RenderOptions.Viewport;
import org.medhub.dicomweb.web.DicomwebErrors.DicomwebException;
import org.springframework.http.HttpStatus;

/**
 * The query parameters of a WADO-URI request (PS3.18 9.1.2), validated: anything malformed or not
 * offered is a 400 with the parameter named.
 *
 * @param contentTypes the media types asked for, in order; without {@code contentType}, JPEG for an
 *     image and the DICOM object for anything else
 * @param transferSyntax the {@code transferSyntax} asked for with {@code application/dicom}, or null
 * @param viewport {@code columns} x {@code rows} to fit the image into, or null
 */
record WadoUriRequest(
        String studyUid,
        String seriesUid,
        String objectUid,
        List<String> contentTypes,
        String transferSyntax,
        int frameNumber,
        VoiWindow window,
        Viewport viewport,
        int imageQuality) {

    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");
    /** Larger than any image, so that a lone {@code rows} or {@code columns} alone bounds the size. */
    private static final int UNBOUNDED = 8192;

    static WadoUriRequest of(UnaryOperator<String> parameters) {
        String requestType = parameters.apply("requestType");
        if (!"WADO".equals(requestType)) {
            throw bad("requestType must be WADO" + (requestType == null ? "" : ", not " + requestType));
        }
        for (String unsupported : List.of("region", "presentationUID", "presentationSeriesUID")) {
            if (parameters.apply(unsupported) != null) {
                throw bad(unsupported + " is not offered by this server");
            }
        }
        if ("yes".equalsIgnoreCase(parameters.apply("anonymize"))) {
            throw bad("anonymize is not offered by this server");
        }
        String contentType = parameters.apply("contentType");
        List<String> contentTypes = contentType == null || contentType.isBlank()
                ? List.of(RenderOptions.JPEG, "application/dicom")
                : Arrays.stream(contentType.split(",")).map(t -> t.split(";")[0].strip().toLowerCase(Locale.ROOT)).toList();
        return new WadoUriRequest(
                uid(parameters, "studyUID"),
                uid(parameters, "seriesUID"),
                uid(parameters, "objectUID"),
                contentTypes,
                parameters.apply("transferSyntax"),
                positive(parameters, "frameNumber", 1),
                window(parameters.apply("windowCenter"), parameters.apply("windowWidth")),
                viewport(parameters.apply("rows"), parameters.apply("columns")),
                RenderOptions.quality(parameters.apply("imageQuality")));
    }

    private static String uid(UnaryOperator<String> parameters, String name) {
        String value = parameters.apply(name);
        if (value == null || value.isBlank()) {
            throw bad(name + " is required");
        }
        if (value.length() > 64 || !UID.matcher(value).matches()) {
            throw bad(name + " is not a UID: " + value);
        }
        return value;
    }

    private static int positive(UnaryOperator<String> parameters, String name, int otherwise) {
        String value = parameters.apply(name);
        if (value == null) {
            return otherwise;
        }
        try {
            int number = Integer.parseInt(value.strip());
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(name + " must be a whole number from 1: " + value);
    }

    /** PS3.18 9.1.2.1.10: windowCenter and windowWidth come together. */
    private static VoiWindow window(String center, String width) {
        if (center == null && width == null) {
            return null;
        }
        if (center == null || width == null) {
            throw bad("windowCenter and windowWidth must be given together");
        }
        return RenderOptions.window(center + "," + width);
    }

    private static Viewport viewport(String rows, String columns) {
        if (rows == null && columns == null) {
            return null;
        }
        int height = rows == null ? UNBOUNDED : dimension("rows", rows);
        int width = columns == null ? UNBOUNDED : dimension("columns", columns);
        return new Viewport(width, height, null);
    }

    private static int dimension(String name, String value) {
        try {
            int number = Integer.parseInt(value.strip());
            if (number >= 1 && number <= UNBOUNDED) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(name + " must be a whole number from 1 to " + UNBOUNDED + ": " + value);
    }

    private static DicomwebException bad(String message) {
        return new DicomwebException(HttpStatus.BAD_REQUEST, message);
    }
}
