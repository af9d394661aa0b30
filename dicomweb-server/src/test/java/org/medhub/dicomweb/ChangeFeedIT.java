package org.medhub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medhub.dicomweb.dicom.DicomObjects;
import org.medhub.dicomweb.dicom.ParsedInstance;
import org.medhub.dicomweb.index.DicomIndex;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code /dicomweb/changefeed} through HTTP: every store and delete appears in order, pages by
 * sequence and time, the state of earlier entries follows the instance, and who may read it.
 */
@DicomwebServerTest
class ChangeFeedIT {

    /** CT_small with its own study, series and instance UIDs (same length, so the file stays valid). */
    private static final String SUFFIX = "20040119072730.12322";
    private static final String OWN_SUFFIX = "20040119072730.55501";
    private static final String STUDY = DicomwebIT.CT_STUDY.replace(SUFFIX, OWN_SUFFIX);
    private static final String INSTANCE = DicomwebIT.CT_INSTANCE.replace(SUFFIX, OWN_SUFFIX);

    @LocalServerPort
    int port;

    @Autowired
    DicomIndex index;

    @Test
    void storeAndDeleteAppearInOrderAndTheCreateEntryEndsDeleted() throws Exception {
        DicomwebHttp clinician = DicomwebHttp.as(port, "clinician");
        long before = clinician.feed("/changefeed/latest").path("Sequence").asLong();
        byte[] ct = DicomwebIT.replace(Files.readAllBytes(DicomwebIT.TEST_FILES.resolve("CT_small.dcm")), SUFFIX, OWN_SUFFIX);

        assertThat(clinician.stow("/studies", List.of(ct)).statusCode()).isEqualTo(200);
        assertThat(clinician.stow("/studies", List.of(ct)).statusCode()).as("identical again: no change").isEqualTo(200);
        List<JsonNode> created = ownEntries(clinician.feed("/changefeed?offset=" + before));
        assertThat(created).singleElement().satisfies(entry -> {
            assertThat(entry.path("Action").asText()).isEqualTo("create");
            assertThat(entry.path("State").asText()).isEqualTo("current");
            assertThat(entry.path("SopInstanceUid").asText()).isEqualTo(INSTANCE);
            assertThat(entry.path("SeriesInstanceUid").asText()).isNotBlank();
            assertThat(Instant.parse(entry.path("Timestamp").asText())).isAfter(Instant.now().minusSeconds(300));
        });
        assertThat(clinician.feed("/changefeed/latest").path("Sequence").asLong())
                .isEqualTo(created.get(0).path("Sequence").asLong());

        assertThat(DicomwebHttp.as(port, "admin").delete("/studies/" + STUDY).statusCode()).isEqualTo(204);
        List<JsonNode> after = ownEntries(clinician.feed("/changefeed?offset=" + before));
        assertThat(after).extracting(e -> e.path("Action").asText()).containsExactly("create", "delete");
        assertThat(after).allSatisfy(e -> assertThat(e.path("State").asText()).isEqualTo("deleted"));
        assertThat(after.get(1).path("Sequence").asLong()).isGreaterThan(after.get(0).path("Sequence").asLong());
    }

    @Test
    void aReplacedInstanceIsAnUpdateAndItsEarlierEntryTurnsReplaced(@TempDir Path directory) throws Exception {
        // MR_small under UIDs of its own (other ITs of this server store the original).
        Path file = directory.resolve("mr.dcm");
        Files.write(file, DicomwebIT.replace(Files.readAllBytes(DicomwebIT.TEST_FILES.resolve("MR_small.dcm")),
                "20040826185059.5457", "20040826185059.5599"));
        ParsedInstance mr = DicomObjects.parse(file);
        assertThat(mr.sopInstanceUid()).endsWith(".5599");
        long before = DicomwebHttp.as(port, "viewer").feed("/changefeed/latest").path("Sequence").asLong();
        // Straight into the index: the feed row is written by the index, whichever way the change came.
        index.put(mr, "changefeed-it/first", 1, "a".repeat(64));
        index.put(mr, "changefeed-it/second", 1, "b".repeat(64));
        index.delete(mr.studyUid(), mr.seriesUid(), mr.sopInstanceUid());
        List<JsonNode> entries = new ArrayList<>();
        DicomwebHttp.as(port, "viewer").feed("/changefeed?offset=" + before).forEach(entries::add);
        assertThat(entries).filteredOn(e -> e.path("SopInstanceUid").asText().equals(mr.sopInstanceUid()))
                .extracting(e -> e.path("Action").asText() + "/" + e.path("State").asText())
                .containsExactly("create/replaced", "update/deleted", "delete/deleted");
    }

    @Test
    void pagesBySequenceAndByTime() {
        DicomwebHttp viewer = DicomwebHttp.as(port, "viewer");
        JsonNode all = viewer.feed("/changefeed?limit=1000");
        assertThat(all.size()).as("the feed of this server is not empty").isGreaterThanOrEqualTo(2);
        JsonNode first = viewer.feed("/changefeed?limit=1");
        assertThat(first).hasSize(1);
        assertThat(first.get(0)).isEqualTo(all.get(0));
        long sequence = first.get(0).path("Sequence").asLong();
        JsonNode second = viewer.feed("/changefeed?limit=1&offset=" + sequence);
        assertThat(second.get(0)).isEqualTo(all.get(1));

        String future = URLEncoder.encode(Instant.now().plusSeconds(3600).toString(), StandardCharsets.UTF_8);
        assertThat(viewer.feed("/changefeed?startTime=" + future)).isEmpty();
        String firstTime = all.get(0).path("Timestamp").asText();
        assertThat(viewer.feed("/changefeed?limit=1000&endTime=" + URLEncoder.encode(firstTime, StandardCharsets.UTF_8)))
                .as("endTime is exclusive").noneMatch(e -> e.path("Sequence").asLong() >= sequence);
    }

    @Test
    void readersMayResearchersMayNotAndBadParametersAreProblems() {
        assertThat(DicomwebHttp.as(port, "admin").get("/changefeed", null).statusCode()).isEqualTo(200);
        assertThat(DicomwebHttp.as(port, "clinician").get("/changefeed/latest", null).statusCode()).isEqualTo(200);
        assertThat(DicomwebHttp.as(port, "researcher").get("/changefeed", null).statusCode()).isEqualTo(403);
        assertThat(DicomwebHttp.as(port, "researcher").get("/changefeed/latest", null).statusCode()).isEqualTo(403);
        assertThat(DicomwebHttp.anonymous(port).get("/changefeed", null).statusCode()).isEqualTo(401);

        DicomwebHttp viewer = DicomwebHttp.as(port, "viewer");
        for (String bad : List.of("limit=0", "limit=1001", "limit=all", "offset=-1", "startTime=yesterday",
                "startTime=2026-01-02T00:00:00Z&endTime=2026-01-01T00:00:00Z")) {
            HttpResponse<byte[]> response = viewer.get("/changefeed?" + bad, null);
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).as(bad).hasValue("application/problem+json");
            assertThat(DicomwebHttp.parse(response).path("detail").asText()).as(bad).isNotBlank();
        }
    }

    private static List<JsonNode> ownEntries(JsonNode page) {
        return StreamSupport.stream(page.spliterator(), false)
                .filter(entry -> entry.path("StudyInstanceUid").asText().equals(STUDY)).toList();
    }
}
