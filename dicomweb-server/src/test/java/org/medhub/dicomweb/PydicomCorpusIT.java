package org.medhub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medhub.dicomweb.DicomwebHttp.value;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.medhub.dicomweb.stow.MultipartParts;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every file of Debian's pydicom test corpus (well-formed, odd and broken ones, and files that are
 * not DICOM at all) sent through STOW-RS one by one: each is stored or rejected with a PS3.18
 * failure reason (or, for a copy of a stored instance in another transfer syntax, kept with a
 * warning), never a server error; each stored one is found by QIDO-RS and comes back from
 * WADO-RS byte for byte (so with the same attributes and pixel data), with readable metadata.
 */
@DicomwebServerTest
class PydicomCorpusIT {

    private static final Set<Integer> REASONS = Set.of(0x0110, 0x0111, 0x0122, 0xA900, 0xC000);

    @LocalServerPort
    int port;

    @Test
    void everyCorpusFileIsStoredOrRejectedWithAReasonAndEveryStoredOneComesBackUnchanged() throws IOException {
        DicomwebHttp clinician = DicomwebHttp.as(port, "clinician");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(DicomwebIT.TEST_FILES)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(60);
        Map<String, String> report = new TreeMap<>();
        int stored = 0;
        for (Path file : files) {
            String name = DicomwebIT.TEST_FILES.relativize(file).toString();
            byte[] original = Files.readAllBytes(file);
            HttpResponse<byte[]> response = clinician.stow("/studies", List.of(original));
            String body = new String(response.body(), StandardCharsets.UTF_8);
            // 202: the corpus holds one instance in several transfer syntaxes (MR_small*.dcm); a
            // transcoded copy of a stored instance is kept with WarningReason B000 (it was 409 before).
            assertThat(response.statusCode()).as(name + ": " + body).isIn(200, 202, 409);
            JsonNode result = DicomwebHttp.parse(response);
            if (response.statusCode() == 202) {
                JsonNode warned = result.path("00081199").path("Value").get(0);
                assertThat(warned.path("00081196").path("Value").get(0).asInt()).as(name).isEqualTo(0xB000);
                report.put(name, "transcoded copy kept: " + response.headers().firstValue("Warning").orElse(""));
                continue;
            }
            if (response.statusCode() == 409) {
                JsonNode failed = result.path("00081198").path("Value").get(0);
                int reason = failed.path("00081197").path("Value").get(0).asInt();
                assertThat(reason).as(name).isIn(REASONS);
                report.put(name, String.format("rejected 0x%04X %s", reason, value(failed, "00000902")));
                continue;
            }
            JsonNode referenced = result.path("00081199").path("Value").get(0);
            String sopInstance = value(referenced, "00081155");
            JsonNode found = clinician.json("/instances?SOPInstanceUID=" + sopInstance);
            assertThat(found).as(name + " found by QIDO").hasSize(1);
            String instanceUrl = value(found.get(0), "00081190");
            String path = instanceUrl.substring(instanceUrl.indexOf("/dicomweb") + "/dicomweb".length());
            HttpResponse<byte[]> retrieved = clinician.get(path, null);
            assertThat(retrieved.statusCode()).as(name + " retrieved").isEqualTo(200);
            List<MultipartParts.Body> parts = DicomwebHttp.parts(retrieved);
            assertThat(parts).hasSize(1);
            assertThat(parts.get(0).bytes()).as(name + " byte for byte").isEqualTo(original);
            HttpResponse<byte[]> metadata = clinician.get(path + "/metadata", "application/dicom+json");
            assertThat(metadata.statusCode()).as(name + " metadata").isEqualTo(200);
            JsonNode attributes = DicomwebHttp.parse(metadata).get(0);
            assertThat(value(attributes, "00080018")).isEqualTo(sopInstance);
            String frames = attributes.has("7FE00010") ? framesOutcome(clinician, path, attributes, name) : "no pixel data";
            report.put(name, "stored " + sopInstance + ", frame 1: " + frames);
            stored++;
        }
        report.forEach((name, outcome) -> System.out.println("corpus: " + name + " -> " + outcome));
        System.out.println("corpus: " + stored + " of " + files.size() + " files stored");
        assertThat(stored).isGreaterThan(30);
    }

    /**
     * With {@code transfer-syntax=*}, frame 1 comes as stored (a compressed bit stream for compressed
     * pixel data); uncompressed, it is the raw pixels, or 406 where PixelMed cannot decode it.
     */
    private static String framesOutcome(DicomwebHttp http, String path, JsonNode attributes, String name) {
        HttpResponse<byte[]> asStored = http.get(path + "/frames/1", "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*");
        assertThat(asStored.statusCode()).as(name + " frame 1 as stored").isIn(200, 406);
        HttpResponse<byte[]> frame = http.get(path + "/frames/1", "multipart/related; type=\"application/octet-stream\"");
        assertThat(frame.statusCode()).as(name + " frame 1").isIn(200, 406);
        if (frame.statusCode() == 406) {
            return "406 " + value(DicomwebHttp.parse(frame), "00000902");
        }
        long rows = attributes.path("00280010").path("Value").path(0).asLong();
        long columns = attributes.path("00280011").path("Value").path(0).asLong();
        long samples = Math.max(1, attributes.path("00280002").path("Value").path(0).asLong());
        long bits = attributes.path("00280100").path("Value").path(0).asLong();
        assertThat((long) DicomwebHttp.parts(frame).get(0).bytes().length).as(name + " frame size")
                .isEqualTo(rows * columns * samples * bits / 8);
        return "200, " + rows + "x" + columns + "x" + samples + " at " + bits + " bits";
    }
}
