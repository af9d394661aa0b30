package org.medhub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medhub.dicomweb.DicomwebHttp.value;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medhub.dicomweb.deid.Pseudonyms;
import org.medhub.dicomweb.dicom.TestObjects;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * A researcher searches the de-identified view through QIDO-RS as OHIF's study list does: by the
 * pseudonymous name and ID (wildcards, fuzzy), the shifted study date (ranges), the cleaned
 * description, modality. Every such search matches what the researcher sees, never the stored
 * originals: the real name, real date or accession number find nothing (and are not refused, which
 * would tell that they were tested). Keys the view does not offer are refused with a reason.
 */
@DeidServerTest
@TestPropertySource(properties = "medhub.deid.research-profile=research") // ResearcherViewIT's context
class ResearcherSearchIT {

    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;
    private static final String REAL_DATE = "20200315";
    private static final String ISSUER = "urn:oid:2.16.840.1.113883.3.9999";

    private final Pseudonyms research = new Pseudonyms(DeidServerTest.SECRET, "research");

    @LocalServerPort
    int port;

    /** A patient no other test has (the context is shared). */
    private String patientId;
    private String family;
    private String studyUid;

    @BeforeEach
    void storeIdentified() {
        String unique = UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
        patientId = "SEARCH-" + unique;
        family = "Quackenbush" + unique.replaceAll("[0-9]", "");
        byte[] object = TestObjects.withAttributes("CT_small.dcm", Map.of(
                0x00100010, family + "^Jane",
                0x00100020, patientId,
                0x00100021, ISSUER,
                0x00080020, REAL_DATE,
                0x00080050, "ACC-" + unique,
                0x00081030, "CT chest of Jane " + family));
        DicomwebHttp clinician = DicomwebHttp.as(port, "clinician");
        assertThat(clinician.stow("/studies", List.of(object)).statusCode()).isEqualTo(200);
        JsonNode stored = clinician.json("/studies?PatientID=" + patientId);
        assertThat(stored).hasSize(1);
        studyUid = value(stored.get(0), "0020000D");
    }

    @Test
    void thePseudonymousNameAndIdFindTheStudyAndTheRealOnesFindNothing() {
        DicomwebHttp researcher = DicomwebHttp.as(port, "researcher");
        JsonNode seen = seen(researcher);
        String pseudonym = value(seen, "00100020");
        assertThat(pseudonym).as("the pseudonym of the patient with their issuer")
                .isEqualTo(research.patientId("id:" + patientId + "^" + ISSUER));
        assertThat(value(seen, "00100010")).isEqualTo(pseudonym);

        assertThat(uids(researcher, "PatientID=" + pseudonym)).containsExactly(research.uid(studyUid));
        assertThat(uids(researcher, "00100020=" + q("*" + pseudonym.substring(5, 12) + "*"))).as("OHIF's wildcard on the tag")
                .containsExactly(research.uid(studyUid));
        assertThat(uids(researcher, "PatientName=" + q("*" + pseudonym.substring(5, 12).toLowerCase(Locale.ROOT) + "*")
                + "&fuzzymatching=true")).containsExactly(research.uid(studyUid));

        assertThat(uids(researcher, "PatientName=" + q(family + "^Jane"))).isEmpty();
        assertThat(uids(researcher, "PatientName=" + q(family + "*"))).isEmpty();
        assertThat(uids(researcher, "PatientName=jane&fuzzymatching=true")).isEmpty();
        assertThat(uids(researcher, "PatientID=" + patientId)).isEmpty();
        assertThat(uids(researcher, "PatientID=" + q("SEARCH-*"))).as("no original ID matches a wildcard").isEmpty();
    }

    @Test
    void theShiftedDateAndItsRangesFindTheStudyAndTheRealDateDoesNot() {
        DicomwebHttp researcher = DicomwebHttp.as(port, "researcher");
        JsonNode seen = seen(researcher);
        String pseudonym = value(seen, "00100020");
        String shifted = value(seen, "00080020");
        assertThat(shifted).isLessThan(REAL_DATE);
        LocalDate day = LocalDate.parse(shifted, DA);
        String patient = "PatientID=" + pseudonym + "&";

        assertThat(uids(researcher, patient + "StudyDate=" + shifted)).containsExactly(research.uid(studyUid));
        assertThat(uids(researcher, patient + "StudyDate=" + day.minusDays(3).format(DA) + "-" + day.plusDays(3).format(DA)))
                .containsExactly(research.uid(studyUid));
        assertThat(uids(researcher, patient + "StudyDate=" + shifted + "-")).containsExactly(research.uid(studyUid));
        assertThat(uids(researcher, patient + "StudyDate=-" + day.minusDays(1).format(DA))).isEmpty();

        assertThat(uids(researcher, patient + "StudyDate=" + REAL_DATE)).as("the real date").isEmpty();
        assertThat(uids(researcher, patient + "StudyDate=" + REAL_DATE + "-20301231")).as("a range from the real date").isEmpty();

        HttpResponse<byte[]> metadata = researcher.get("/studies/" + research.uid(studyUid) + "/metadata", "application/dicom+json");
        JsonNode instance = DicomwebHttp.parse(metadata).get(0);
        assertThat(value(instance, "00080020")).as("metadata and search see one shift").isEqualTo(shifted);
        assertThat(value(instance, "00100020")).isEqualTo(pseudonym);
    }

    @Test
    void theCleanedDescriptionAndModalityMatchAndWhatTheViewRemovedFindsNothing() {
        DicomwebHttp researcher = DicomwebHttp.as(port, "researcher");
        JsonNode seen = seen(researcher);
        String patient = "PatientID=" + value(seen, "00100020") + "&";
        assertThat(value(seen, "00081030")).isEqualTo("CT chest of * *");

        assertThat(uids(researcher, patient + "StudyDescription=" + q("*chest*"))).containsExactly(research.uid(studyUid));
        assertThat(uids(researcher, patient + "StudyDescription=" + q("*" + family + "*"))).isEmpty();
        assertThat(uids(researcher, patient + "ModalitiesInStudy=CT")).containsExactly(research.uid(studyUid));
        assertThat(uids(researcher, patient + "AccessionNumber=" + q("ACC-*"))).as("the accession number is removed").isEmpty();

        HttpResponse<byte[]> bySeriesDescription = researcher.get("/series?SeriesDescription=" + q("*chest*"), "application/dicom+json");
        assertThat(bySeriesDescription.statusCode()).isEqualTo(400);
        assertThat(new String(bySeriesDescription.body(), StandardCharsets.UTF_8))
                .contains("matching on SeriesDescription is not offered in the de-identified view", "StudyDescription");
    }

    /** The study as the researcher's search shows it, found by its pseudonymous UID. */
    private JsonNode seen(DicomwebHttp researcher) {
        JsonNode found = researcher.json("/studies?StudyInstanceUID=" + research.uid(studyUid));
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private static List<String> uids(DicomwebHttp researcher, String query) {
        JsonNode found = researcher.json("/studies?" + query);
        return java.util.stream.StreamSupport.stream(found.spliterator(), false).map(study -> value(study, "0020000D")).toList();
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
