package org.medhub.dicomweb.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.SpecificCharacterSet;
import com.pixelmed.dicom.TagFromName;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Whole PS3.10 objects through the de-identification engine: read with PixelMed, changed through
 * {@link DicomDataset}, written again in memory with new File Meta Information (so its Media Storage
 * SOP Instance UID follows the replaced SOP Instance UID). Nothing is written to disk here.
 */
public final class DeidentifiedObjects {

    private static final String SOURCE_AE = "MEDHUB_DEID";

    private DeidentifiedObjects() {}

    /**
     * The object after {@code transform} changed it, as PS3.10 bytes in its original transfer syntax;
     * empty when the transform withheld it (returned false).
     *
     * @throws DicomFormatException when the file cannot be read or written as DICOM
     */
    public static Optional<byte[]> transform(Path file, Predicate<DicomDataset> transform) throws DicomFormatException {
        try (InputStream in = Files.newInputStream(file)) {
            return transform(in, transform);
        } catch (IOException e) {
            throw new DicomFormatException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** As {@link #transform(Path, Predicate)}, from a stream (an upload, which then never reaches the disk as it came). */
    public static Optional<byte[]> transform(InputStream object, Predicate<DicomDataset> transform) throws DicomFormatException {
        AttributeList list = new AttributeList();
        // Compressed pixel data stays encapsulated: PixelMed would otherwise decode it (JPEG, JPEG 2000,
        // RLE) and the native pixels would be written under the compressed transfer syntax. Encapsulated
        // pixels cannot be blanked in place, so an object that needs pixel cleaning is withheld instead.
        list.setDecompressPixelData(false);
        try (DicomInputStream dicom = new DicomInputStream(new BufferedInputStream(object))) {
            list.read(dicom);
        } catch (IOException | DicomException | RuntimeException e) {
            throw new DicomFormatException("cannot parse as DICOM: " + e.getMessage(), e);
        }
        String transferSyntax = Attribute.getSingleStringValueOrNull(list, TagFromName.TransferSyntaxUID);
        if (transferSyntax == null) {
            throw new DicomFormatException("not a PS3.10 file: File Meta Information with TransferSyntaxUID missing");
        }
        list.removeGroupLengthAttributes();
        list.removeMetaInformationHeaderAttributes();
        if (!transform.test(new PixelmedDataset(list, new SpecificCharacterSet(list), true))) {
            return Optional.empty();
        }
        try {
            FileMetaInformation.addFileMetaInformation(list, transferSyntax, SOURCE_AE);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            list.write(out, transferSyntax, true, true);
            return Optional.of(out.toByteArray());
        } catch (IOException | DicomException | RuntimeException e) {
            throw new DicomFormatException("cannot write the de-identified object: " + e.getMessage(), e);
        }
    }
}
