package org.medhub.dicomweb.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** The document inside an Encapsulated PDF instance (PS3.3 A.45), its rendered form per PS3.18 8.3.5.1. */
public final class EncapsulatedDocuments {

    public static final String PDF = "application/pdf";

    private EncapsulatedDocuments() {}

    /** Whether instances of this SOP Class hold a PDF (so that other objects are not read for nothing). */
    public static boolean isPdfClass(String sopClassUid) {
        return SOPClass.EncapsulatedPDFStorage.equals(sopClassUid);
    }

    /** The PDF bytes of an Encapsulated PDF instance, or null when the instance is something else. */
    public static byte[] pdf(Path file) throws IOException {
        AttributeList list = Transcoding.decoded(file);
        String mimeType = Attribute.getSingleStringValueOrNull(list, TagFromName.MIMETypeOfEncapsulatedDocument);
        Attribute document = list.get(TagFromName.EncapsulatedDocument);
        if (!PDF.equals(mimeType == null ? null : mimeType.strip()) || document == null) {
            return null;
        }
        try {
            byte[] bytes = document.getByteValues();
            // The value is padded to an even length; Encapsulated Document Length, when present, is exact.
            long length = Attribute.getSingleLongValueOrDefault(list.get(TagFromName.EncapsulatedDocumentLength), bytes.length);
            return length > 0 && length < bytes.length ? Arrays.copyOf(bytes, (int) length) : bytes;
        } catch (DicomException e) {
            throw new UnsupportedOperationException("the encapsulated document cannot be read: " + e.getMessage(), e);
        }
    }
}
