package org.medhub.dicomweb.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DateAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.SpecificCharacterSet;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Puts an existing image under another patient and new study, series and instance UIDs, for demo
 * data (the {@code demo} package's tool); the pixel data and everything else stay as they were.
 *
 * @param patientId PatientID (0010,0020)
 * @param issuerOfPatientId IssuerOfPatientID (0010,0021), the namespace of the PatientID
 * @param patientName PatientName in PS3.5 PN form (family^given)
 * @param birthDate PatientBirthDate, YYYYMMDD, or null
 * @param sex PatientSex, M/F/O, or null
 */
public record PatientRewrite(String patientId, String issuerOfPatientId, String patientName, String birthDate,
        String sex) {

    /** Writes {@code source}, rewritten, to {@code target} in the source's transfer syntax. */
    public void apply(Path source, Path target, String studyUid, String seriesUid, String sopInstanceUid)
            throws IOException {
        try {
            AttributeList list = new AttributeList();
            list.setDecompressPixelData(false); // compressed pixels are copied, not decoded and mislabelled
            list.read(source.toFile());
            String transferSyntax = Attribute.getSingleStringValueOrNull(list, TagFromName.TransferSyntaxUID);
            SpecificCharacterSet declared = new SpecificCharacterSet(list);
            put(list, new LongStringAttribute(TagFromName.PatientID, declared), patientId);
            put(list, new LongStringAttribute(TagFromName.IssuerOfPatientID, declared), issuerOfPatientId);
            put(list, new PersonNameAttribute(TagFromName.PatientName, declared), patientName);
            put(list, new DateAttribute(TagFromName.PatientBirthDate), birthDate);
            put(list, new CodeStringAttribute(TagFromName.PatientSex), sex);
            put(list, new UniqueIdentifierAttribute(TagFromName.StudyInstanceUID), studyUid);
            put(list, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID), seriesUid);
            put(list, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), sopInstanceUid);
            // Other patients' identifiers must not survive in the copy.
            for (AttributeTag tag : new AttributeTag[] {TagFromName.OtherPatientIDs, TagFromName.OtherPatientNames,
                    TagFromName.AccessionNumber, TagFromName.IssuerOfAccessionNumberSequence}) {
                list.remove(tag);
            }
            // The new name may not fit the character set the source declares (a Korean name in a
            // Latin-1 CT): PixelMed then declares one that holds every value (ISO_IR 192 if
            // needed) and writes every text value in it, so bytes and declaration agree.
            list.insertSuitableSpecificCharacterSetForAllStringValues();
            list.removeGroupLengthAttributes();
            list.removeMetaInformationHeaderAttributes();
            FileMetaInformation.addFileMetaInformation(list, transferSyntax, "MEDHUB");
            list.write(target.toFile(), transferSyntax, true, true);
        } catch (DicomException e) {
            throw new IOException("cannot rewrite " + source + ": " + e.getMessage(), e);
        }
    }

    private static void put(AttributeList list, Attribute attribute, String value) throws DicomException {
        if (value != null && !value.isBlank()) {
            attribute.addValue(value);
        }
        list.put(attribute);
    }
}
