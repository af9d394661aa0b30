package org.medhub.dicomweb.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.ShortStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UnlimitedTextAttribute;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Issuer of Accession Number Sequence (0008,0051) as the index keeps it (PS3.3 10.14, HL7 v2 HD). */
class AccessionIssuerTest {

    @Test
    void aTypedUniversalIdBecomesAUriAndALocalIdStaysAsWritten(@TempDir Path directory) throws Exception {
        assertThat(issuer(directory, "1.2.3.4", "ISO", null)).isEqualTo("urn:oid:1.2.3.4");
        assertThat(issuer(directory, "6E2A4F0C-1B7E-4C5A-9F0E-0123456789AB", "UUID", null))
                .isEqualTo("urn:uuid:6e2a4f0c-1b7e-4c5a-9f0e-0123456789ab");
        assertThat(issuer(directory, "https://ris.example/acc", "URI", "RIS")).isEqualTo("https://ris.example/acc");
        assertThat(issuer(directory, "ris.example", "DNS", "RIS EAST")).isEqualTo("RIS EAST");
        assertThat(DicomObjects.parse(TestObjects.TEST_FILES.resolve("CT_small.dcm")).issuerOfAccessionNumber()).isNull();
    }

    private static String issuer(Path directory, String universal, String type, String local) throws Exception {
        AttributeList list = new AttributeList();
        list.read(TestObjects.TEST_FILES.resolve("CT_small.dcm").toFile());
        ShortStringAttribute accession = new ShortStringAttribute(TagFromName.AccessionNumber);
        accession.addValue("ACC-9");
        list.put(accession);
        AttributeList item = new AttributeList();
        if (local != null) {
            put(item, new UnlimitedTextAttribute(new AttributeTag(0x0040, 0x0031)), local);
        }
        put(item, new UnlimitedTextAttribute(new AttributeTag(0x0040, 0x0032)), universal);
        put(item, new CodeStringAttribute(new AttributeTag(0x0040, 0x0033)), type);
        SequenceAttribute sequence = new SequenceAttribute(TagFromName.IssuerOfAccessionNumberSequence);
        sequence.addItem(item);
        list.put(sequence);
        Path file = directory.resolve("issuer.dcm");
        list.write(file.toFile(), Attribute.getSingleStringValueOrNull(list, TagFromName.TransferSyntaxUID), true, true);
        ParsedInstance parsed = DicomObjects.parse(file);
        assertThat(parsed.accessionNumber()).isEqualTo("ACC-9");
        return parsed.issuerOfAccessionNumber();
    }

    private static void put(AttributeList list, Attribute attribute, String value) throws Exception {
        attribute.addValue(value);
        list.put(attribute);
    }
}
