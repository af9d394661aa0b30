package org.medhub.dicomweb.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UIDGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Test objects made from Debian's pydicom corpus with PixelMed (so PixelMed stays in this package
 * in tests too): copies under fresh UIDs, so that tests sharing one server do not collide with the
 * corpus files other tests store, and copies with attributes changed.
 */
public final class TestObjects {

    public static final Path TEST_FILES = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

    private TestObjects() {}

    /** The file rewritten in its own transfer syntax with new study, series and SOP Instance UIDs. */
    public static byte[] withNewUids(String name) {
        return rewritten(name, Map.of());
    }

    /**
     * The file with new UIDs and the given attributes (keyword to value) replaced, in its own
     * transfer syntax.
     */
    public static byte[] rewritten(String name, Map<String, String> changes) {
        try {
            AttributeList list = new AttributeList();
            list.setDecompressPixelData(false);
            list.read(TEST_FILES.resolve(name).toString());
            String syntax = Attribute.getSingleStringValueOrNull(list, TagFromName.TransferSyntaxUID);
            UIDGenerator uids = new UIDGenerator();
            String instance = uids.getAnotherNewUID();
            replace(list, TagFromName.StudyInstanceUID, uids.getAnotherNewUID());
            replace(list, TagFromName.SeriesInstanceUID, uids.getAnotherNewUID());
            replace(list, TagFromName.SOPInstanceUID, instance);
            replace(list, TagFromName.MediaStorageSOPInstanceUID, instance);
            for (Map.Entry<String, String> change : changes.entrySet()) {
                replace(list, AttributeList.getDictionary().getTagFromName(change.getKey()), change.getValue());
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            list.write(out, syntax, true, true);
            return out.toByteArray();
        } catch (IOException | DicomException e) {
            throw new IllegalStateException("cannot rewrite " + name, e);
        }
    }

    /**
     * The file with new UIDs and these attributes (tag to value) set, added when absent with the VR
     * of PixelMed's dictionary, in its own transfer syntax.
     */
    public static byte[] withAttributes(String name, Map<Integer, String> attributes) {
        try {
            AttributeList list = new AttributeList();
            list.setDecompressPixelData(false);
            list.read(file(withNewUids(name)).toString());
            for (Map.Entry<Integer, String> entry : attributes.entrySet()) {
                AttributeTag tag = new AttributeTag(entry.getKey() >>> 16, entry.getKey() & 0xFFFF);
                list.remove(tag);
                put(list, tag, entry.getValue());
            }
            String syntax = Attribute.getSingleStringValueOrNull(list, TagFromName.TransferSyntaxUID);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            list.write(out, syntax, true, true);
            return out.toByteArray();
        } catch (IOException | DicomException e) {
            throw new IllegalStateException("cannot rewrite " + name, e);
        }
    }

    /** The VR PixelMed's dictionary gives the attribute (two letters), or null when it does not know it. */
    public static String dictionaryVr(int tag) {
        byte[] vr = AttributeList.getDictionary().getValueRepresentationFromTag(new AttributeTag(tag >>> 16, tag & 0xFFFF));
        return vr == null ? null : new String(vr, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * A minimal Encapsulated PDF instance (PS3.3 A.45) holding these bytes (padded to even length,
     * the exact length in Encapsulated Document Length), under fresh UIDs.
     */
    public static byte[] encapsulatedPdf(byte[] pdf) {
        try {
            AttributeList list = new AttributeList();
            UIDGenerator uids = new UIDGenerator();
            String instance = uids.getAnotherNewUID();
            put(list, TagFromName.SOPClassUID, SOPClass.EncapsulatedPDFStorage);
            put(list, TagFromName.SOPInstanceUID, instance);
            put(list, TagFromName.StudyInstanceUID, uids.getAnotherNewUID());
            put(list, TagFromName.SeriesInstanceUID, uids.getAnotherNewUID());
            put(list, TagFromName.PatientID, "PDF1");
            put(list, TagFromName.Modality, "DOC");
            put(list, TagFromName.MIMETypeOfEncapsulatedDocument, "application/pdf");
            put(list, TagFromName.EncapsulatedDocumentLength, Integer.toString(pdf.length));
            OtherByteAttribute document = new OtherByteAttribute(TagFromName.EncapsulatedDocument);
            document.setValues(pdf.length % 2 == 0 ? pdf : java.util.Arrays.copyOf(pdf, pdf.length + 1));
            list.put(document);
            FileMetaInformation.addFileMetaInformation(list, "1.2.840.10008.1.2.1", "TEST");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            list.write(out, "1.2.840.10008.1.2.1", true, true);
            return out.toByteArray();
        } catch (IOException | DicomException e) {
            throw new IllegalStateException("cannot make an Encapsulated PDF", e);
        }
    }

    private static void put(AttributeList list, AttributeTag tag, String value) throws DicomException {
        Attribute attribute = AttributeFactory.newAttribute(tag);
        attribute.addValue(value);
        list.put(attribute);
    }

    /** Writes bytes to a temporary file for the file-based API. */
    public static Path file(byte[] bytes) throws IOException {
        Path file = Files.createTempFile("medhub-test", ".dcm");
        file.toFile().deleteOnExit();
        return Files.write(file, bytes);
    }

    private static void replace(AttributeList list, AttributeTag tag, String value) throws DicomException {
        Attribute attribute = list.get(tag);
        if (attribute == null) {
            throw new IllegalArgumentException("the test object has no " + tag + " to change");
        }
        attribute.removeValues();
        attribute.addValue(value);
    }
}
