package org.medhub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medhub.dicomweb.DicomwebHttp.value;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.medhub.dicomweb.stow.MultipartParts;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * STOW-RS, QIDO-RS and WADO-RS through HTTP with real tokens: a round trip, the PS3.18 status codes
 * and failure reasons, idempotent re-store, and who may do what.
 */
@DicomwebServerTest
@TestInstance(Lifecycle.PER_CLASS)
class DicomwebIT {

    static final Path TEST_FILES = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    static final String CT_STUDY = "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322";
    static final String CT_SERIES = "1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322";
    static final String CT_INSTANCE = "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322";
    static final String MR_STUDY = "1.3.6.1.4.1.5962.1.2.4.20040826185059.5457";

    @LocalServerPort
    int port;

    DicomwebHttp clinician;
    byte[] ct;
    byte[] mr;

    @BeforeAll
    void storeTwoStudies() throws IOException {
        clinician = DicomwebHttp.as(port, "clinician");
        ct = Files.readAllBytes(TEST_FILES.resolve("CT_small.dcm"));
        mr = Files.readAllBytes(TEST_FILES.resolve("MR_small.dcm"));
        HttpResponse<byte[]> response = clinician.stow("/studies", List.of(ct, mr));
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        JsonNode body = DicomwebHttp.parse(response);
        assertThat(body.path("00081199").path("Value")).hasSize(2);
        assertThat(body.has("00081198")).isFalse();
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/dicom+json"));
    }

    @Test
    void storedStudiesAreFoundByTheQidoMatchingKeys() {
        // Other ITs store more of the corpus in the same server: assert what must and must not match.
        assertThat(uids(clinician.json("/studies?PatientID=1CT1"))).contains(CT_STUDY).doesNotContain(MR_STUDY);
        assertThat(uids(clinician.json("/studies?PatientName=compressedsamples*"))).contains(CT_STUDY, MR_STUDY);
        assertThat(uids(clinician.json("/studies?PatientName=*%5EMR?"))).contains(MR_STUDY).doesNotContain(CT_STUDY);
        assertThat(uids(clinician.json("/studies?StudyDate=20040101-20040131&PatientName=Compressed*")))
                .contains(CT_STUDY).doesNotContain(MR_STUDY);
        assertThat(uids(clinician.json("/studies?ModalitiesInStudy=MR&PatientName=Compressed*")))
                .contains(MR_STUDY).doesNotContain(CT_STUDY);
        assertThat(uids(clinician.json("/studies?StudyInstanceUID=" + CT_STUDY + "," + MR_STUDY))).hasSize(2);
        assertThat(clinician.json("/studies?PatientID=no-such-patient")).isEmpty();

        JsonNode study = clinician.json("/studies?StudyInstanceUID=" + CT_STUDY).get(0);
        assertThat(value(study, "00100010")).isEqualTo("CompressedSamples^CT1");
        assertThat(value(study, "00080061")).isEqualTo("CT");
        assertThat(study.path("00201206").path("Value").get(0).asInt()).isEqualTo(1);
        assertThat(study.path("00201208").path("Value").get(0).asInt()).isEqualTo(1);
        assertThat(value(study, "00081190")).endsWith("/dicomweb/studies/" + CT_STUDY);
    }

    @Test
    void seriesAndInstanceQueriesAtEveryPath() {
        JsonNode series = clinician.json("/studies/" + CT_STUDY + "/series");
        assertThat(series).hasSize(1);
        assertThat(value(series.get(0), "00080060")).isEqualTo("CT");
        assertThat(series.get(0).path("00201209").path("Value").get(0).asInt()).isEqualTo(1);
        assertThat(uidsOf(clinician.json("/series?Modality=CT&SeriesInstanceUID=" + CT_SERIES), "0020000E")).containsExactly(CT_SERIES);

        JsonNode instances = clinician.json("/studies/" + CT_STUDY + "/series/" + CT_SERIES + "/instances");
        assertThat(uidsOf(instances, "00080018")).containsExactly(CT_INSTANCE);
        assertThat(instances.get(0).path("00280010").path("Value").get(0).asInt()).isEqualTo(128);
        assertThat(uidsOf(clinician.json("/studies/" + CT_STUDY + "/instances"), "00080018")).containsExactly(CT_INSTANCE);
        assertThat(uidsOf(clinician.json("/instances?SOPInstanceUID=" + CT_INSTANCE), "00080018")).containsExactly(CT_INSTANCE);

        JsonNode withExtra = clinician.json("/studies?StudyInstanceUID=" + CT_STUDY + "&includefield=00180050,Manufacturer");
        assertThat(withExtra.get(0).has("00180050")).isTrue(); // SliceThickness, from the stored attributes
        assertThat(withExtra.get(0).has("00080070")).isTrue();
    }

    @Test
    void limitAndOffsetPage() {
        String query = "/studies?PatientName=CompressedSamples*&limit=1";
        HttpResponse<byte[]> first = clinician.get(query, "application/dicom+json");
        assertThat(DicomwebHttp.parse(first)).hasSize(1);
        assertThat(first.headers().firstValue("Warning")).isPresent();
        JsonNode second = clinician.json(query + "&offset=1");
        assertThat(second).hasSize(1);
        assertThat(uids(second)).doesNotContainAnyElementsOf(uids(DicomwebHttp.parse(first)));
    }

    @Test
    void fuzzyMatchingFindsANameByTheStartOfAnyComponent() {
        assertThat(uids(clinician.json("/studies?PatientName=ct1&fuzzymatching=true")))
                .contains(CT_STUDY).doesNotContain(MR_STUDY);
        assertThat(uids(clinician.json("/studies?PatientName=m?1&fuzzymatching=true")))
                .contains(MR_STUDY).doesNotContain(CT_STUDY);
        assertThat(uids(clinician.json("/studies?PatientName=compressed&fuzzymatching=true"))).contains(CT_STUDY, MR_STUDY);
        assertThat(uids(clinician.json("/studies?PatientName=ct1"))).as("literal matching without fuzzymatching")
                .doesNotContain(CT_STUDY);
        assertThat(uids(clinician.json("/studies?PatientName=ct1&fuzzymatching=false"))).doesNotContain(CT_STUDY);
        assertThat(uids(clinician.json("/studies?PatientName=t1&fuzzymatching=true")))
                .as("inside a component is not a match").doesNotContain(CT_STUDY);
    }

    @Test
    void badQueriesAre400() {
        assertThat(clinician.get("/studies?fuzzymatching=maybe", null).statusCode()).isEqualTo(400);
        assertThat(clinician.get("/studies?StudyDate=yesterday", null).statusCode()).isEqualTo(400);
        assertThat(clinician.get("/studies?SOPInstanceUID=1.2", null).statusCode()).isEqualTo(400);
        assertThat(clinician.get("/studies?limit=many", null).statusCode()).isEqualTo(400);
    }

    @Test
    void wadoReturnsTheStoredObjectByteForByte() {
        for (String path : List.of("/studies/" + CT_STUDY, "/studies/" + CT_STUDY + "/series/" + CT_SERIES,
                "/studies/" + CT_STUDY + "/series/" + CT_SERIES + "/instances/" + CT_INSTANCE)) {
            HttpResponse<byte[]> response = clinician.get(path, "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            List<MultipartParts.Body> parts = DicomwebHttp.parts(response);
            assertThat(parts).hasSize(1);
            assertThat(parts.get(0).headers().get("content-type")).isEqualTo("application/dicom; transfer-syntax=1.2.840.10008.1.2.1");
            assertThat(parts.get(0).bytes()).isEqualTo(ct);
        }
        assertThat(clinician.get("/studies/1.2.3.4", null).statusCode()).isEqualTo(404);
        assertThat(clinician.get("/studies/" + CT_STUDY, "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.4.50")
                .statusCode()).isEqualTo(406);
    }

    @Test
    void metadataHasAttributesAndBulkDataUrisThatResolve() {
        for (String path : List.of("/studies/" + CT_STUDY + "/metadata", "/studies/" + CT_STUDY + "/series/" + CT_SERIES + "/metadata",
                "/studies/" + CT_STUDY + "/series/" + CT_SERIES + "/instances/" + CT_INSTANCE + "/metadata")) {
            JsonNode metadata = clinician.json(path);
            assertThat(metadata).hasSize(1);
            JsonNode dataset = metadata.get(0);
            assertThat(value(dataset, "00100010")).isEqualTo("CompressedSamples^CT1");
            assertThat(dataset.has("00020010")).as("no File Meta Information").isFalse();
            assertThat(value(dataset, "00280010")).isEqualTo("128");
            String bulk = dataset.path("7FE00010").path("BulkDataURI").asText();
            assertThat(bulk).endsWith("/instances/" + CT_INSTANCE + "/bulkdata/7FE00010");
            HttpResponse<byte[]> pixels = clinician.get(bulk.substring(bulk.indexOf("/dicomweb") + "/dicomweb".length()), null);
            assertThat(pixels.statusCode()).isEqualTo(200);
            assertThat(DicomwebHttp.parts(pixels).get(0).bytes()).hasSize(128 * 128 * 2);
        }
    }

    @Test
    void framesAreRawPixelsWithTheirTransferSyntax() {
        HttpResponse<byte[]> response = clinician.get("/studies/" + CT_STUDY + "/series/" + CT_SERIES + "/instances/"
                + CT_INSTANCE + "/frames/1", "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*");
        assertThat(response.statusCode()).isEqualTo(200);
        List<MultipartParts.Body> parts = DicomwebHttp.parts(response);
        assertThat(parts).hasSize(1);
        assertThat(parts.get(0).headers().get("content-type")).isEqualTo("application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1");
        byte[] frame = parts.get(0).bytes();
        assertThat(frame).hasSize(128 * 128 * 2);
        // Native pixel data in Explicit VR Little Endian: the frame is the value as stored in the file.
        assertThat(indexOf(ct, frame)).isPositive();
        assertThat(clinician.get("/studies/" + CT_STUDY + "/series/" + CT_SERIES + "/instances/" + CT_INSTANCE + "/frames/2",
                null).statusCode()).isEqualTo(404);
    }

    @Test
    void storingTheSameObjectAgainIsIdempotentButADifferentOneIsRejected() {
        HttpResponse<byte[]> again = clinician.stow("/studies", List.of(ct));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(DicomwebHttp.parse(again).path("00081199").path("Value")).hasSize(1);
        assertThat(clinician.json("/studies/" + CT_STUDY + "/instances")).hasSize(1);

        byte[] altered = replace(ct, "CompressedSamples^CT1", "CompressedSamples^CT2");
        HttpResponse<byte[]> conflicting = clinician.stow("/studies", List.of(altered));
        assertThat(conflicting.statusCode()).isEqualTo(409);
        JsonNode failed = DicomwebHttp.parse(conflicting).path("00081198").path("Value").get(0);
        assertThat(failed.path("00081197").path("Value").get(0).asInt()).isEqualTo(0x0111);
        assertThat(value(failed, "00081155")).isEqualTo(CT_INSTANCE);
        assertThat(value(clinician.json("/studies?StudyInstanceUID=" + CT_STUDY).get(0), "00100010"))
                .isEqualTo("CompressedSamples^CT1");
    }

    @Test
    void failuresCarryTheirReasonAndTheStatusSaysHowManyFailed() {
        HttpResponse<byte[]> mismatch = clinician.stow("/studies/1.2.3.4.5", List.of(ct));
        assertThat(mismatch.statusCode()).isEqualTo(409);
        assertThat(reasons(mismatch)).containsExactly(0xA900);

        HttpResponse<byte[]> partial = clinician.stow("/studies", List.of(ct, "not DICOM at all".getBytes(StandardCharsets.US_ASCII)));
        assertThat(partial.statusCode()).isEqualTo(202);
        assertThat(reasons(partial)).containsExactly(0xC000);
        assertThat(DicomwebHttp.parse(partial).path("00081199").path("Value")).hasSize(1);

        assertThat(clinician.post("/studies", "application/dicom", ct).statusCode()).isEqualTo(415);
        assertThat(clinician.post("/studies", "multipart/related; type=\"application/dicom+xml\"; boundary=x",
                "--x--".getBytes(StandardCharsets.US_ASCII)).statusCode()).isEqualTo(415);
        assertThat(clinician.post("/studies", "multipart/related; type=\"application/dicom\"; boundary=x",
                "no multipart here".getBytes(StandardCharsets.US_ASCII)).statusCode()).isEqualTo(400);
        assertThat(clinician.post("/studies", "multipart/related; type=\"application/dicom\"",
                "--x--".getBytes(StandardCharsets.US_ASCII)).statusCode()).isEqualTo(400);
    }

    @Test
    void eachRoleGetsExactlyThePermissionsOfTheSecurityModel() {
        Map<String, List<Integer>> expected = new LinkedHashMap<>();
        // store, search, retrieve, metadata
        expected.put("admin", List.of(200, 200, 200, 200));
        expected.put("clinician", List.of(200, 200, 200, 200));
        expected.put("viewer", List.of(403, 200, 200, 200));
        expected.put("researcher", List.of(403, 403, 403, 403));
        Map<String, List<Integer>> actual = new LinkedHashMap<>();
        for (String user : expected.keySet()) {
            actual.put(user, statuses(DicomwebHttp.as(port, user)));
        }
        actual.put("anonymous", statuses(DicomwebHttp.anonymous(port)));
        expected.put("anonymous", List.of(401, 401, 401, 401));
        assertThat(actual).isEqualTo(expected);
    }

    private List<Integer> statuses(DicomwebHttp http) {
        return List.of(
                http.stow("/studies", List.of(mr)).statusCode(),
                http.get("/studies?PatientID=4MR1", null).statusCode(),
                http.get("/studies/" + MR_STUDY, null).statusCode(),
                http.get("/studies/" + MR_STUDY + "/metadata", null).statusCode());
    }

    private static List<Integer> reasons(HttpResponse<byte[]> response) {
        return DicomwebHttp.parse(response).path("00081198").path("Value").valueStream()
                .map(item -> item.path("00081197").path("Value").get(0).asInt())
                .toList();
    }

    private static List<String> uids(JsonNode studies) {
        return uidsOf(studies, "0020000D");
    }

    private static List<String> uidsOf(JsonNode results, String tag) {
        return results.valueStream().map(dataset -> value(dataset, tag)).toList();
    }

    static int indexOf(byte[] data, byte[] part) {
        outer:
        for (int i = 0; i <= data.length - part.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (data[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static byte[] replace(byte[] data, String from, String to) {
        String text = new String(data, StandardCharsets.ISO_8859_1);
        assertThat(text).contains(from);
        return text.replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
    }
}
