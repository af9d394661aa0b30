package org.medhub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medhub.dicomweb.DicomwebHttp.value;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.medhub.dicomweb.deid.Pseudonyms;
import org.medhub.dicomweb.index.DicomIndex;
import org.medhub.dicomweb.store.DicomStorage;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;


/**
 * De-identification on ingest through HTTP: {@code POST /dicomweb/deid/research/studies} stores the
 * de-identified objects only; afterwards neither the store's files (temporary ones included) nor
 * the index tables hold any original identifier, UID or name.
 */
@DeidServerTest
class DeidStowIT {

    private static final Path CORPUS = DicomwebIT.TEST_FILES;
    /** The originals' identity (read from the files with a DICOM dump): names, IDs, UIDs. */
    private static final List<String> IDENTITY = List.of("CompressedSamples", "1CT1", "4MR1",
            "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322", "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322",
            "1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457", "1.3.6.1.4.1.5962.1.2.4.20040826185059.5457",
            "JFK IMAGING CENTER");

    @LocalServerPort
    int port;

    @Autowired
    DicomIndex index;

    @Autowired
    DicomStorage storage;

    @Test
    void theDeidentifyingRouteStoresNoIdentityInTheStoreOrTheIndex() throws IOException {
        DicomwebHttp clinician = DicomwebHttp.as(port, "clinician");
        List<byte[]> objects = List.of(read("CT_small.dcm"), read("MR_small.dcm"));
        HttpResponse<byte[]> response = clinician.stow("/deid/research/studies", objects);
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        JsonNode referenced = DicomwebHttp.parse(response).path("00081199").path("Value");
        assertThat(referenced).hasSize(2);
        String ctInstance = value(referenced.get(0), "00081155");
        Pseudonyms research = new Pseudonyms(DeidServerTest.SECRET, "research");
        assertThat(ctInstance).isEqualTo(research.uid("1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322"));
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).doesNotContain(IDENTITY);

        // The store's root (objects/ab/cd/<sha256>.dcm and tmp/), found from a stored object's file.
        Path store = storage.file(storage.keys().iterator().next()).getParent().getParent().getParent().getParent();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(store)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(2).anyMatch(f -> f.toString().contains("objects"));
        for (Path file : files) {
            assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as(file.toString()).doesNotContain(IDENTITY);
        }
        List<String> rows = new ArrayList<>();
        for (String table : List.of("study", "series", "instance")) {
            rows.addAll(index.jdbc().queryForList("SELECT t::text FROM " + DicomIndex.SCHEMA + "." + table + " t", String.class));
        }
        assertThat(rows).hasSizeGreaterThanOrEqualTo(5).allSatisfy(row -> assertThat(row).doesNotContain(IDENTITY));
        assertThat(String.join("\n", rows)).contains(research.patientId("id:1CT1^"));

        JsonNode found = clinician.json("/instances?SOPInstanceUID=" + ctInstance);
        assertThat(found).hasSize(1);
        assertThat(value(found.get(0), "00100020")).startsWith("DEID-");
    }

    @Test
    void anImageWithPossibleBurnedInTextAndNoRuleIsRefusedAndNotStored() throws IOException {
        DicomwebHttp clinician = DicomwebHttp.as(port, "clinician");
        HttpResponse<byte[]> response = clinician.stow("/deid/research/studies", List.of(read("SC_rgb_small_odd.dcm")));
        assertThat(response.statusCode()).isEqualTo(409);
        JsonNode failed = DicomwebHttp.parse(response).path("00081198").path("Value").get(0);
        assertThat(failed.path("00081197").path("Value").get(0).asInt()).isEqualTo(0x0110);
        assertThat(value(failed, "00000902")).contains("withheld").contains("BurnedInAnnotation");
        assertThat(failed.has("00081155")).as("no UID of the refused original in the answer").isFalse();
    }

    @Test
    void theRouteNeedsTheStoreRoleAndAKnownProfile() throws IOException {
        List<byte[]> ct = List.of(read("CT_small.dcm"));
        assertThat(DicomwebHttp.as(port, "researcher").stow("/deid/research/studies", ct).statusCode()).isEqualTo(403);
        assertThat(DicomwebHttp.as(port, "viewer").stow("/deid/research/studies", ct).statusCode()).isEqualTo(403);
        assertThat(DicomwebHttp.anonymous(port).stow("/deid/research/studies", ct).statusCode()).isEqualTo(401);
        HttpResponse<byte[]> unknown = DicomwebHttp.as(port, "clinician").stow("/deid/nosuch/studies", ct);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(new String(unknown.body(), StandardCharsets.UTF_8)).contains("nosuch");
    }

    @Test
    void theProfileReportListsEveryTableAttributeWithItsAction() {
        HttpResponse<byte[]> response = DicomwebHttp.as(port, "researcher").get("/deid/profiles/research/report", "application/json");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode report = DicomwebHttp.parse(response);
        assertThat(report.path("standard").asText()).contains("2023");
        assertThat(report.path("attributes")).hasSize(460);
        JsonNode studyDate = null;
        for (JsonNode row : report.path("attributes")) {
            if (row.path("tag").asText().equals("00080020")) {
                studyDate = row;
            }
        }
        assertThat(studyDate.path("basicProfile").asText()).isEqualTo("Z");
        assertThat(studyDate.path("action").asText()).isEqualTo("C");
        assertThat(studyDate.path("because").asText()).contains("Modified Dates");
        assertThat(report.path("deidentificationMethodCodes").findValuesAsText("code"))
                .containsExactlyInAnyOrder("113100", "113107", "113108", "113105", "113104");
        assertThat(DicomwebHttp.as(port, "viewer").get("/deid/profiles/research/report", null).statusCode()).isEqualTo(403);
        assertThat(DicomwebHttp.as(port, "admin").get("/deid/profiles/nosuch/report", null).statusCode()).isEqualTo(404);
    }

    private static byte[] read(String name) throws IOException {
        return Files.readAllBytes(CORPUS.resolve(name));
    }
}
