package org.medhub.dicomweb.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medhub.dicomweb.dicom.DicomObjects;
import org.medhub.dicomweb.dicom.ParsedInstance;
import org.medhub.dicomweb.dicom.PatientRewrite;

class DemoImagesTest {

    static final Path CORPUS = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

    /** The shape of a Synthea Patient, trimmed. */
    static final String SYNTHEA_PATIENT = """
            {"resourceType": "Patient", "identifier": [
              {"system": "https://github.com/synthetichealth/synthea", "value": "b0c1"},
              {"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]},
               "system": "http://hospital.smarthealthit.org", "value": "b0c1-mrn"}],
             "name": [{"family": "Kuhn96", "given": ["Jeffry", "Ray"]}], "gender": "male", "birthDate": "1961-07-04"}
            """;

    @Test
    void aSyntheaPatientBecomesItsMedicalRecordNumberInItsSystem() throws Exception {
        PatientRewrite patient = DemoImages.patient(new ObjectMapper().readTree(SYNTHEA_PATIENT)).orElseThrow();
        assertThat(patient).isEqualTo(new PatientRewrite("b0c1-mrn", "http://hospital.smarthealthit.org",
                "Kuhn96^Jeffry Ray", "19610704", "M"));
        assertThat(DemoImages.patient(new ObjectMapper().readTree("{\"identifier\": [{\"value\": \"x\"}]}"))).isEmpty();
    }

    /**
     * CT_small.dcm declares ISO_IR 100 (Latin-1): a Spanish name must come back as written, and a
     * Korean one (which Latin-1 cannot hold) too, with a character set that holds it declared.
     */
    @Test
    void nonAsciiNamesAreWrittenInTheDeclaredCharacterSet(@TempDir Path directory) throws Exception {
        for (String name : new String[] {"Delrío329^Adán600", "홍^길동"}) {
            PatientRewrite patient = new PatientRewrite("b0c1-mrn", "http://hospital.smarthealthit.org", name,
                    "19610704", "M");
            Path target = directory.resolve("ct.dcm");

            patient.apply(CORPUS.resolve("CT_small.dcm"), target, "2.25.1", "2.25.2", "2.25.3");

            assertThat(DicomObjects.parse(target).patientName()).isEqualTo(name);
        }
    }

    @Test
    void rewrittenImagesCarryThePatientAndStableUidsOfTheirOwn(@TempDir Path directory) throws Exception {
        PatientRewrite patient = new PatientRewrite("b0c1-mrn", "http://hospital.smarthealthit.org",
                "Kuhn96^Jeffry", "19610704", "M");
        String study = DemoImages.uid(patient, "CT_small.dcm", "study");
        assertThat(study).matches("2\\.25\\.[0-9]{1,39}").isEqualTo(DemoImages.uid(patient, "CT_small.dcm", "study"));
        assertThat(study).isNotEqualTo(DemoImages.uid(patient, "MR_small.dcm", "study"));
        String series = DemoImages.uid(patient, "CT_small.dcm", "series");
        String instance = DemoImages.uid(patient, "CT_small.dcm", "instance");
        Path target = directory.resolve("ct.dcm");

        patient.apply(CORPUS.resolve("CT_small.dcm"), target, study, series, instance);

        ParsedInstance rewritten = DicomObjects.parse(target);
        ParsedInstance original = DicomObjects.parse(CORPUS.resolve("CT_small.dcm"));
        assertThat(rewritten.patientId()).isEqualTo("b0c1-mrn");
        assertThat(rewritten.issuerOfPatientId()).isEqualTo("http://hospital.smarthealthit.org");
        assertThat(rewritten.patientName()).isEqualTo("Kuhn96^Jeffry");
        assertThat(rewritten.patientBirthDate()).isEqualTo("19610704");
        assertThat(rewritten.patientSex()).isEqualTo("M");
        assertThat(rewritten.studyUid()).isEqualTo(study);
        assertThat(rewritten.seriesUid()).isEqualTo(series);
        assertThat(rewritten.sopInstanceUid()).isEqualTo(instance);
        assertThat(rewritten.transferSyntaxUid()).isEqualTo(original.transferSyntaxUid());
        assertThat(rewritten.rows()).isEqualTo(original.rows());
        assertThat(rewritten.modality()).isEqualTo("CT");
    }
}
