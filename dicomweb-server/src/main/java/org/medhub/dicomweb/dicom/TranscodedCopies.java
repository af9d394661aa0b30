package org.medhub.dicomweb.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether a received object is the stored instance in another transfer syntax. DICOM identifies an
 * instance by its SOP Instance UID whatever its encoding (PS3.5 10: a transfer syntax is how a data
 * set is encoded, not what it says), so a copy a router or PACS re-encoded losslessly is the same
 * instance. What may differ:
 * <ul>
 *   <li>the File Meta Information (group 0002: transfer syntax, implementation, source AE), group
 *       lengths and Data Set Trailing Padding, which are encoding, not content;</li>
 *   <li>the encoded Pixel Data and what describes its encapsulation (Extended Offset Table and
 *       its lengths, 7FE0,0001-0003), provided the decoded pixels are equal;</li>
 *   <li>the Image Pixel attributes a codec rewrites (PS3.5 8.2: Photometric Interpretation, e.g.
 *       YBR_RCT for reversible JPEG 2000, and Planar Configuration): compared as they describe the
 *       decoded pixels, after PixelMed's correction of a decompressed image's pixel module;</li>
 *   <li>Derivation Description (0008,2111), free text some encoders (dcmtk's dcmcjpeg) add to say
 *       the pixels were losslessly compressed; with equal pixels it describes no derivation.</li>
 * </ul>
 * Lossy Image Compression (0028,2110) is compared like any attribute: PS3.3 C.7.6.1.1.5 requires a
 * lossy compressed version of a DICOM image to be DERIVED with a new SOP Instance UID, so a lossy
 * copy under the same UID is a different data set, not a transcoded one.
 */
public final class TranscodedCopies {

    /** How a received object relates to the stored one with the same SOP Instance UID. */
    public enum Verdict {
        /** The same data set, differently encoded: the pixels decode to the same values. */
        SAME_DATA_SET,
        /** Some attribute or the decoded pixels differ. */
        DIFFERENT,
        /** The attributes agree, but one side's pixel data cannot be decoded here to compare them. */
        PIXELS_NOT_COMPARABLE
    }

    private static final AttributeTag DERIVATION_DESCRIPTION = TagFromName.DerivationDescription;
    private static final AttributeTag DATA_SET_TRAILING_PADDING = TagFromName.DataSetTrailingPadding;

    private TranscodedCopies() {}

    /** Compares two stored PS3.10 files; both were parsed as DICOM before. */
    public static Verdict compare(Path stored, Path received) throws IOException {
        AttributeList storedList;
        AttributeList receivedList;
        try {
            storedList = Transcoding.decoded(stored);
            receivedList = Transcoding.decoded(received);
        } catch (UnsupportedOperationException e) {
            return sameAttributes(DicomObjects.attributesBeforePixelData(stored),
                    DicomObjects.attributesBeforePixelData(received), false)
                    ? Verdict.PIXELS_NOT_COMPARABLE : Verdict.DIFFERENT;
        }
        try {
            storedList.correctDecompressedImagePixelModule();
            receivedList.correctDecompressedImagePixelModule();
        } catch (DicomException e) {
            return Verdict.DIFFERENT;
        }
        if (!sameAttributes(storedList, receivedList, true)) {
            return Verdict.DIFFERENT;
        }
        return samePixels(storedList, receivedList) ? Verdict.SAME_DATA_SET : Verdict.DIFFERENT;
    }

    private static boolean samePixels(AttributeList stored, AttributeList received) throws IOException {
        Attribute storedPixels = stored.getPixelData();
        Attribute receivedPixels = received.getPixelData();
        if (storedPixels == null || receivedPixels == null) {
            return storedPixels == receivedPixels;
        }
        return Arrays.equals(DicomObjects.pixelBytes(stored, storedPixels), DicomObjects.pixelBytes(received, receivedPixels));
    }

    /**
     * Every attribute of either list but the encoding ones equal in value; at the top level, the
     * pixel module's codec-dependent attributes only when {@code pixelModuleComparable} (decoded).
     */
    private static boolean sameAttributes(AttributeList a, AttributeList b, boolean pixelModuleComparable) {
        Set<AttributeTag> tags = new TreeSet<>(a.keySet());
        tags.addAll(b.keySet());
        for (AttributeTag tag : tags) {
            if (encoding(tag) || (!pixelModuleComparable && codecDependent(tag))) {
                continue;
            }
            if (!sameAttribute(a.get(tag), b.get(tag))) {
                return false;
            }
        }
        return true;
    }

    private static boolean encoding(AttributeTag tag) {
        return tag.isFileMetaInformationGroup() || tag.isGroupLength() || tag.equals(DATA_SET_TRAILING_PADDING)
                || (tag.getGroup() == 0x7FE0 && tag.getElement() <= 0x0010) || tag.equals(DERIVATION_DESCRIPTION);
    }

    private static boolean codecDependent(AttributeTag tag) {
        return tag.equals(TagFromName.PhotometricInterpretation) || tag.equals(TagFromName.PlanarConfiguration);
    }

    private static boolean sameAttribute(Attribute a, Attribute b) {
        if (a == null || b == null) {
            return empty(a) && empty(b); // absent and present without value say the same
        }
        if (a instanceof SequenceAttribute sa && b instanceof SequenceAttribute sb) {
            if (sa.getNumberOfItems() != sb.getNumberOfItems()) {
                return false;
            }
            for (int i = 0; i < sa.getNumberOfItems(); i++) {
                if (!sameAttributes(sa.getItem(i).getAttributeList(), sb.getItem(i).getAttributeList(), true)) {
                    return false;
                }
            }
            return true;
        }
        try {
            if (DicomObjects.isBinary(a) || DicomObjects.isBinary(b)) {
                return Arrays.equals(DicomObjects.littleEndianBytes(a), DicomObjects.littleEndianBytes(b));
            }
            return Arrays.equals(stripped(a.getStringValues()), stripped(b.getStringValues()));
        } catch (DicomException | IOException e) {
            return false;
        }
    }

    private static boolean empty(Attribute attribute) {
        return attribute == null || attribute.getVL() == 0;
    }

    private static String[] stripped(String[] values) {
        return values == null ? new String[0] : Arrays.stream(values).map(v -> v == null ? "" : v.strip()).toArray(String[]::new);
    }
}
