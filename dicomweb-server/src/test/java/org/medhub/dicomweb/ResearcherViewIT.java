package org.medhub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medhub.dicomweb.DicomwebHttp.value;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medhub.dicomweb.deid.Pseudonyms;
import org.medhub.dicomweb.stow.MultipartParts;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * The researcher's view through HTTP: a study stored identified by a clinician is seen by a
 * researcher only de-identified (research profile) in QIDO-RS, metadata, retrieve and frames, with
 * no original identifier, UID, date or name in any answer; pseudonyms are the keyed ones (so the
 * same across requests and restarts); queries by pseudonymous values work, by originals find nothing.
 */
@DeidServerTest
// A context (so a database and store) of its own: this test stores identified objects, which
// DeidStowIT's scan of the whole store and index for identity must not see.
@TestPropertySource(properties = "medhub.deid.research-profile=research")
class ResearcherViewIT {

    private static final String STUDY = "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322";
    private static final String SERIES = "1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322";
    private static final String INSTANCE = "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322";
    /** CT_small's identity: names, IDs, UIDs, institution, dates. */
    private static final List<String> IDENTITY = List.of("CompressedSamples", "1CT1", STUDY, SERIES, INSTANCE,
            "JFK IMAGING CENTER", "20040119", "19970430", "ABCD1234");

    private final Pseudonyms research = new Pseudonyms(DeidServerTest.SECRET, "research");

    @LocalServerPort
    int port;

    @BeforeEach
    void storeIdentified() throws IOException {
        HttpResponse<byte[]> stored = DicomwebHttp.as(port, "clinician")
                .stow("/studies", List.of(Files.readAllBytes(DicomwebIT.TEST_FILES.resolve("CT_small.dcm"))));
        assertThat(stored.statusCode()).isEqualTo(200);
    }

    @Test
    void qidoAnswersTheResearcherWithPseudonymsAndNoIdentity() {
        DicomwebHttp researcher = DicomwebHttp.as(port, "researcher");
        String path = "/studies?StudyInstanceUID=" + research.uid(STUDY) + "&includefield=all";
        JsonNode studies = researcher.json(path);
        assertThat(studies).hasSize(1);
        JsonNode study = studies.get(0);
        assertThat(study.toString()).doesNotContain(IDENTITY);
        assertThat(value(study, "0020000D")).isEqualTo(research.uid(STUDY));
        assertThat(value(study, "00100020")).isEqualTo(research.patientId("id:1CT1^")).isEqualTo(value(study, "00100010"));
        assertThat(value(study, "00081190")).endsWith("/studies/" + research.uid(STUDY));
        assertThat(value(study, "00080020")).as("study date shifted").hasSize(8).isLessThan("20040119");
        assertThat(researcher.json(path)).as("the same answer again").isEqualTo(studies);

        assertThat(researcher.json("/studies?PatientID=" + research.patientId("id:1CT1^"))).isNotEmpty()
                .allSatisfy(s -> assertThat(s.toString()).doesNotContain(IDENTITY));
        JsonNode series = researcher.json("/studies/" + research.uid(STUDY) + "/series");
        assertThat(value(series.get(0), "0020000E")).isEqualTo(research.uid(SERIES));
        assertThat(series.toString()).doesNotContain(IDENTITY);
        assertThat(researcher.json("/studies?StudyInstanceUID=" + STUDY)).as("originals find nothing").isEmpty();
        assertThat(researcher.json("/studies?PatientID=1CT1")).isEmpty();
        // Names are matched as the researcher sees them (issue 14 item 9; this was a 400): the real one finds nothing.
        assertThat(researcher.json("/studies?PatientName=CompressedSamples*")).isEmpty();
    }

    @Test
    void wadoGivesTheResearcherDeidentifiedMetadataObjectsAndFrames() {
        DicomwebHttp researcher = DicomwebHttp.as(port, "researcher");
        String instancePath = "/studies/" + research.uid(STUDY) + "/series/" + research.uid(SERIES) + "/instances/" + research.uid(INSTANCE);
        HttpResponse<byte[]> metadata = researcher.get(instancePath + "/metadata", "application/dicom+json");
        assertThat(metadata.statusCode()).isEqualTo(200);
        String json = new String(metadata.body(), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain(IDENTITY).contains(research.uid(INSTANCE)).contains("\"BulkDataURI\"");
        assertThat(DicomwebHttp.parse(metadata).get(0).path("7FE00010").path("BulkDataURI").asText())
                .contains(instancePath + "/bulkdata/7FE00010");

        HttpResponse<byte[]> retrieved = researcher.get(instancePath, "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        assertThat(retrieved.statusCode()).isEqualTo(200);
        List<MultipartParts.Body> parts = DicomwebHttp.parts(retrieved);
        assertThat(parts).hasSize(1);
        String object = new String(parts.get(0).bytes(), StandardCharsets.ISO_8859_1);
        assertThat(object).doesNotContain(IDENTITY).contains(research.uid(INSTANCE)).contains("DEID-");

        HttpResponse<byte[]> frame = researcher.get(instancePath + "/frames/1",
                "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*");
        assertThat(frame.statusCode()).isEqualTo(200);
        assertThat(DicomwebHttp.parts(frame).get(0).bytes()).hasSize(128 * 128 * 2);

        HttpResponse<byte[]> byOriginal = researcher.get("/studies/" + STUDY + "/series/" + SERIES + "/instances/" + INSTANCE + "/metadata",
                "application/dicom+json");
        assertThat(byOriginal.statusCode()).isEqualTo(404);
        assertThat(new String(byOriginal.body(), StandardCharsets.UTF_8)).doesNotContain(IDENTITY);
    }

    @Test
    void theResearcherStillCannotStoreOrDelete() throws IOException {
        DicomwebHttp researcher = DicomwebHttp.as(port, "researcher");
        assertThat(researcher.stow("/studies", List.of(Files.readAllBytes(DicomwebIT.TEST_FILES.resolve("MR_small.dcm"))))
                .statusCode()).isEqualTo(403);
    }
}
