package org.medhub.dicomweb.dicom;

import com.pixelmed.dicom.TransferSyntax;

/** Facts about transfer syntaxes that the web layer needs, without exposing PixelMed. */
public final class TransferSyntaxes {

    public static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    static final String RLE = "1.2.840.10008.1.2.5";
    static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";

    private TransferSyntaxes() {}

    /** Whether pixel data in this syntax is encapsulated (compressed), i.e. frames are not raw pixels. */
    public static boolean isEncapsulated(String uid) {
        return new TransferSyntax(uid).isEncapsulated();
    }

    /**
     * Whether {@link Transcoding} can turn pixel data in this syntax into native pixels: every native
     * syntax, RLE and 8-bit baseline JPEG (the JDK's reader); not JPEG lossless, JPEG-LS or JPEG 2000.
     */
    public static boolean isDecodable(String uid) {
        return !isEncapsulated(uid) || uid.equals(RLE) || uid.equals(JPEG_BASELINE);
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
