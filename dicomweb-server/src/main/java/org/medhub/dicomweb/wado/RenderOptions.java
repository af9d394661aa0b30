package org.medhub.dicomweb.wado;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.medhub.dicomweb.dicom.VoiWindow;
import org.medhub.dicomweb.web.DicomwebErrors.DicomwebException;
import org.springframework.http.HttpStatus;
import org.medhub.dicomweb.web.MediaTypeHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * How a client asked an image to be rendered (PS3.18 8.3.5.1): media type, VOI window, viewport and
 * JPEG quality, already validated.
 *
 * @param mediaType {@code image/jpeg} or {@code image/png}
 * @param window null for the object's own window
 * @param viewport null for the image's own size
 * @param quality JPEG quality 1..100
 */
public record RenderOptions(String mediaType, VoiWindow window, Viewport viewport, int quality) {

    public static final String JPEG = "image/jpeg";
    public static final String PNG = "image/png";
    /** PS3.18 leaves a thumbnail's size to the server; this fits OHIF's series list. */
    static final Viewport THUMBNAIL = new Viewport(128, 128, null);
    private static final int DEFAULT_QUALITY = 90;

    /**
     * Picks the first rendered media type this server offers among those accepted ({@code accept}
     * query parameter first, as PS3.18 8.3.3.1 says, then the Accept header); JPEG for a wildcard.
     *
     * @throws DicomwebException 406 when none is offered
     */
    public static String negotiate(String acceptParameter, String acceptHeader) {
        String accepted = acceptParameter != null && !acceptParameter.isBlank() ? acceptParameter : acceptHeader;
        if (accepted == null || accepted.isBlank()) {
            return JPEG;
        }
        List<MediaType> types;
        try {
            types = new ArrayList<>(AcceptedTypes.parse(accepted));
        } catch (InvalidMediaTypeException e) {
            throw new DicomwebException(HttpStatus.BAD_REQUEST, "unreadable media type: " + accepted);
        }
        MediaType.sortBySpecificityAndQuality(types);
        for (MediaType type : types) {
            MediaType part;
            try {
                part = type.getType().equalsIgnoreCase("multipart") && type.getParameter("type") != null
                        ? MediaTypeHeaders.parse(type.getParameter("type").replace("\"", "")) : type;
            } catch (InvalidMediaTypeException e) {
                throw new DicomwebException(HttpStatus.BAD_REQUEST, "unreadable media type: " + accepted);
            }
            if (part.getQualityValue() == 0) {
                continue;
            }
            if (part.includes(MediaType.IMAGE_JPEG)) {
                return JPEG;
            }
            if (part.includes(MediaType.IMAGE_PNG)) {
                return PNG;
            }
        }
        throw new DicomwebException(HttpStatus.NOT_ACCEPTABLE, "rendered images are offered as image/jpeg or image/png");
    }

    /** Whether the client takes {@code application/pdf}, the rendered form of an Encapsulated PDF. */
    public static boolean acceptsPdf(String acceptParameter, String acceptHeader) {
        String accepted = acceptParameter != null && !acceptParameter.isBlank() ? acceptParameter : acceptHeader;
        if (accepted == null || accepted.isBlank()) {
            return true;
        }
        try {
            return AcceptedTypes.parse(accepted).stream()
                    .anyMatch(type -> type.getQualityValue() > 0 && type.includes(MediaType.APPLICATION_PDF));
        } catch (InvalidMediaTypeException e) {
            throw new DicomwebException(HttpStatus.BAD_REQUEST, "unreadable media type: " + accepted);
        }
    }

    /** {@code window=center,width[,function]} (PS3.18 8.3.5.1.4); null when absent. */
    public static VoiWindow window(String parameter) {
        if (parameter == null || parameter.isBlank()) {
            return null;
        }
        String[] parts = parameter.split(",");
        if (parts.length < 2 || parts.length > 3) {
            throw badRequest("window must be center,width[,function]: " + parameter);
        }
        try {
            VoiWindow.Function function = parts.length == 3 ? VoiWindow.Function.of(parts[2]) : VoiWindow.Function.LINEAR;
            return new VoiWindow(Double.parseDouble(parts[0].strip()), Double.parseDouble(parts[1].strip()), function);
        } catch (IllegalArgumentException e) {
            throw badRequest("window " + parameter + ": " + e.getMessage());
        }
    }

    /** {@code viewport=vw,vh[,sx,sy,sw,sh]} (PS3.18 8.3.5.1.3); null when absent. */
    public static Viewport viewport(String parameter) {
        if (parameter == null || parameter.isBlank()) {
            return null;
        }
        int[] values;
        try {
            values = Arrays.stream(parameter.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw badRequest("viewport must be whole numbers vw,vh[,sx,sy,sw,sh]: " + parameter);
        }
        if (values.length != 2 && values.length != 6) {
            throw badRequest("viewport must be vw,vh or vw,vh,sx,sy,sw,sh: " + parameter);
        }
        if (values.length == 6 && (values[2] < 0 || values[3] < 0 || values[4] <= 0 || values[5] <= 0)) {
            throw badRequest("viewport source region must have sx,sy >= 0 and sw,sh > 0 (flipping is not offered): " + parameter);
        }
        return new Viewport(values[0], values[1],
                values.length == 6 ? new Rectangle(values[2], values[3], values[4], values[5]) : null);
    }

    /** {@code quality} 1..100; the server's default when absent. */
    public static int quality(String parameter) {
        if (parameter == null || parameter.isBlank()) {
            return DEFAULT_QUALITY;
        }
        try {
            int quality = Integer.parseInt(parameter.strip());
            if (quality >= 1 && quality <= 100) {
                return quality;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw badRequest("quality must be a whole number from 1 to 100: " + parameter);
    }

    static DicomwebException badRequest(String message) {
        return new DicomwebException(HttpStatus.BAD_REQUEST, message);
    }

    /**
     * The size the rendered image is scaled to fit (keeping its aspect ratio), and the region of the
     * source image shown (null: all of it).
     */
    public record Viewport(int width, int height, Rectangle region) {

        public Viewport {
            if (width < 1 || height < 1 || width > 8192 || height > 8192) {
                throw badRequest("viewport width and height must be 1..8192");
            }
        }
    }
}
