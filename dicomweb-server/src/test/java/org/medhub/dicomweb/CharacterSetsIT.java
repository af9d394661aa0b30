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
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medhub.dicomweb.dicom.PatientRewrite;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Names outside ASCII through STOW-RS, QIDO-RS and metadata (PS3.18 JSON is UTF-8 whatever the
 * object's Specific Character Set), and pydicom's character set files, whose metadata and frames
 * must agree: pixel data the metadata offers is served (or refused 406 with a reason), never 404.
 */
@DicomwebServerTest
class CharacterSetsIT {

    static final Path CHARSET_FILES = Path.of("/usr/lib/python3/dist-packages/pydicom/data/charset_files");

    @LocalServerPort
    int port;

    @Test
    void demoImagesWithNonAsciiNamesReadBackThroughQidoAndMetadata(@TempDir Path directory) throws IOException {
        DicomwebHttp clinician = DicomwebHttp.as(port, "clinician");
        String[] names = {"Delrío329^Adán600", "홍^길동"};
        for (int i = 0; i < names.length; i++) {
            String study = "2.25.4711" + i;
            Path file = directory.resolve(i + ".dcm");
            new PatientRewrite("charset-" + i, "urn:medhub:test:mrn", names[i], null, null)
                    .apply(DicomwebIT.TEST_FILES.resolve("CT_small.dcm"), file, study, study + ".1", study + ".1.1");
            HttpResponse<byte[]> stored = clinician.stow("/studies", List.of(Files.readAllBytes(file)));
            assertThat(stored.statusCode()).as(new String(stored.body(), StandardCharsets.UTF_8)).isEqualTo(200);

            JsonNode found = clinician.json("/studies?StudyInstanceUID=" + study);
            assertThat(value(found.get(0), "00100010")).isEqualTo(names[i]);
            JsonNode metadata = clinician.json("/studies/" + study + "/metadata");
            assertThat(value(metadata.get(0), "00100010")).isEqualTo(names[i]);
        }
    }

    @Test
    void everyCharacterSetFileOffersOnlyThePixelDataItsFramesServe() throws IOException {
        DicomwebHttp clinician = DicomwebHttp.as(port, "clinician");
        List<Path> files;
        try (Stream<Path> list = Files.list(CHARSET_FILES)) {
            files = list.filter(f -> f.toString().endsWith(".dcm")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(15);
        Map<String, String> report = new TreeMap<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            HttpResponse<byte[]> stored = clinician.stow("/studies", List.of(Files.readAllBytes(file)));
            // Some files share a SOP Instance UID with another data set (chrFren/chrFrenMulti): 409 for the second.
            assertThat(stored.statusCode()).as(name).isIn(200, 409);
            if (stored.statusCode() == 409) {
                report.put(name, "not stored: " + value(DicomwebHttp.parse(stored).path("00081198").path("Value").get(0), "00000902"));
                continue;
            }
            String url = value(DicomwebHttp.parse(stored).path("00081199").path("Value").get(0), "00081190");
            String path = url.substring(url.indexOf("/dicomweb") + "/dicomweb".length());
            JsonNode metadata = clinician.json(path + "/metadata").get(0);
            JsonNode pixels = metadata.path("7FE00010");
            if (pixels.isMissingNode()) {
                HttpResponse<byte[]> frame = clinician.get(path + "/frames/1", "multipart/related; type=\"application/octet-stream\"");
                assertThat(frame.statusCode()).as(name + ": no pixel data offered, none served").isEqualTo(404);
                report.put(name, "no pixel data in metadata, frames 404");
                continue;
            }
            String bulkData = pixels.path("BulkDataURI").asText();
            String bulkPath = bulkData.substring(bulkData.indexOf("/dicomweb") + "/dicomweb".length());
            String octets = "multipart/related; type=\"application/octet-stream\"";
            HttpResponse<byte[]> bulk = clinician.get(bulkPath, octets);
            HttpResponse<byte[]> frame = clinician.get(path + "/frames/1", octets);
            for (HttpResponse<byte[]> answer : List.of(bulk, frame)) {
                assertThat(answer.statusCode()).as(name + " " + answer.uri()).isIn(200, 406);
                if (answer.statusCode() == 406) {
                    assertThat(value(DicomwebHttp.parse(answer), "00000902")).as(name + " reason").isNotBlank();
                }
            }
            report.put(name, "pixel data offered: bulk data " + bulk.statusCode() + ", frame 1 " + frame.statusCode());
        }
        report.forEach((name, outcome) -> System.out.println("charset: " + name + " -> " + outcome));
        assertThat(report).containsEntry("chrKoreanMulti.dcm", "no pixel data in metadata, frames 404");
    }
}
