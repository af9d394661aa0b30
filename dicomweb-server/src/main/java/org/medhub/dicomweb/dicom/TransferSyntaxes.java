package org.medhub.dicomweb.dicom;

import com.pixelmed.dicom.TransferSyntax;

/** Facts about transfer syntaxes that the web layer needs, without exposing PixelMed. */
public final class TransferSyntaxes {

    public static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";

    private TransferSyntaxes() {}

    /** Whether pixel data in this syntax is encapsulated (compressed), i.e. frames are not raw pixels. */
    public static boolean isEncapsulated(String uid) {
        return new TransferSyntax(uid).isEncapsulated();
    }
}
