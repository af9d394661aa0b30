package org.medhub.dicomweb.dicom;

import com.pixelmed.dicom.TransferSyntax;
import java.util.Set;

/** Facts about transfer syntaxes that the web layer needs, without exposing PixelMed. */
public final class TransferSyntaxes {

    public static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    static final String RLE = "1.2.840.10008.1.2.5";

    /**
     * The encapsulated syntaxes {@link Transcoding} decodes: RLE (PixelMed), 8-bit baseline JPEG (the
     * JDK's reader), JPEG lossless processes 14 and 14 SV1 (PixelMed's codec), JPEG 2000 lossless and
     * lossy (JJ2000). Not JPEG-LS: no maintained pure-Java reader is on Maven Central or in Debian.
     */
    private static final Set<String> DECODABLE_ENCAPSULATED = Set.of(RLE,
            "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70",
            "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91");

    private TransferSyntaxes() {}

    /** Whether pixel data in this syntax is encapsulated (compressed), i.e. frames are not raw pixels. */
    public static boolean isEncapsulated(String uid) {
        return new TransferSyntax(uid).isEncapsulated();
    }

    /** Whether {@link Transcoding} can turn pixel data in this syntax into native pixels. */
    public static boolean isDecodable(String uid) {
        return !isEncapsulated(uid) || DECODABLE_ENCAPSULATED.contains(uid);
    }

    /**
     * The media type PS3.18 Table 8.7.3-2 gives frames of a compressed syntax ({@code image/jpeg},
     * {@code image/jls}, {@code image/jp2}, {@code image/dicom-rle}), or {@code application/octet-stream}.
     */
    public static String frameMediaType(String uid) {
        if (uid.startsWith("1.2.840.10008.1.2.4.5") || uid.startsWith("1.2.840.10008.1.2.4.7")) {
            return "image/jpeg";
        }
        if (uid.equals("1.2.840.10008.1.2.4.80") || uid.equals("1.2.840.10008.1.2.4.81")) {
            return "image/jls";
        }
        if (uid.startsWith("1.2.840.10008.1.2.4.9")) {
            return "image/jp2";
        }
        return uid.equals(RLE) ? "image/dicom-rle" : "application/octet-stream";
    }
}
