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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medhub.dicomweb.stow.MultipartParts;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * STOW-RS of an instance already stored, in another transfer syntax (pydicom's MR_small in RLE,
 * JPEG 2000, implicit VR and big endian; CT_small re-encoded by Debian's dcmtk): success with
 * WarningReason B000 and the stored object kept (medhub.dicomweb.stow.transcoded-duplicate=keep);
 * 409 for a genuinely different data set, a lossy copy under the same UID, and a copy whose pixel
 * data cannot be decoded here to compare (JPEG-LS).
 */
@DicomwebServerTest
class TranscodedDuplicateIT {

    static final Path FILES = DicomwebIT.TEST_FILES;

    @LocalServerPort
    int port;

    @Test
    void aTranscodedCopyIsStoredWithAWarningAndTheStoredEncodingIsKept() throws IOException {
        DicomwebHttp clinician = DicomwebHttp.as(port, "clinician");
        byte[] original = ownUids(Files.readAllBytes(FILES.resolve("MR_small.dcm")), "4242");
        assertThat(clinician.stow("/studies", List.of(original)).statusCode()).isEqualTo(200);
        String instance = instanceUrlOf(original);

        for (String copy : List.of("MR_small_RLE.dcm", "MR_small_jp2klossless.dcm", "MR_small_implicit.dcm",
                "MR_small_bigendian.dcm")) {
            HttpResponse<byte[]> response = clinician.stow("/studies", List.of(ownUids(Files.readAllBytes(FILES.resolve(copy)), "4242")));
            String body = new String(response.body(), StandardCharsets.UTF_8);
            assertThat(response.statusCode()).as(copy + ": " + body).isEqualTo(202);
            JsonNode item = DicomwebHttp.parse(response).path("00081199").path("Value").get(0);
            assertThat(item.path("00081196").path("Value").get(0).asInt()).as(copy).isEqualTo(0xB000);
            assertThat(DicomwebHttp.parse(response).has("00081198")).isFalse();
            assertThat(response.headers().firstValue("Warning")).hasValueSatisfying(w -> assertThat(w)
                    .startsWith("299 ").contains("1.2.840.10008.1.2.1").contains("kept"));
        }
        assertThat(retrieved(clinician, instance)).as("the stored object is kept").isEqualTo(original);
    }

    @Test
    void aCopyReencodedByDcmtkLosslesslyIsTheSameInstanceALossyOneIsNot(@TempDir Path directory) throws Exception {
        DicomwebHttp clinician = DicomwebHttp.as(port, "clinician");
        Path ct = directory.resolve("ct.dcm");
        Files.write(ct, ownUids(Files.readAllBytes(FILES.resolve("CT_small.dcm")), "4343"));
        assertThat(clinician.stow("/studies", List.of(Files.readAllBytes(ct))).statusCode()).isEqualTo(200);

        Path lossless = dcmtk(directory, "dcmcjpeg", ct, "lossless.dcm");
        Path rle = dcmtk(directory, "dcmcrle", ct, "rle.dcm");
        for (Path copy : List.of(lossless, rle)) {
            HttpResponse<byte[]> response = clinician.stow("/studies", List.of(Files.readAllBytes(copy)));
            assertThat(response.statusCode()).as(copy + ": " + new String(response.body(), StandardCharsets.UTF_8))
                    .isEqualTo(202);
        }

        // PS3.3 C.7.6.1.1.5: a lossy version of an image is a new instance; under the old UID it is a different object.
        Path lossy = dcmtk(directory, "dcmcjpeg", ct, "lossy.dcm", "+eb", "+un");
        assertRejected(clinician, Files.readAllBytes(lossy), "a different object");
    }

    @Test
    void aDifferentDataSetOrOneWhosePixelsCannotBeComparedIsStill409() throws IOException {
        DicomwebHttp clinician = DicomwebHttp.as(port, "clinician");
        byte[] original = ownUids(Files.readAllBytes(FILES.resolve("MR_small.dcm")), "4444");
        assertThat(clinician.stow("/studies", List.of(original)).statusCode()).isEqualTo(200);

        byte[] renamed = new String(original, StandardCharsets.ISO_8859_1).replace("CompressedSamples^MR1",
                "CompressedSamples^MR2").getBytes(StandardCharsets.ISO_8859_1);
        assertRejected(clinician, renamed, "a different object");
        byte[] jpegLs = ownUids(Files.readAllBytes(FILES.resolve("MR_small_jpeg_ls_lossless.dcm")), "4444");
        assertRejected(clinician, jpegLs, "cannot be decoded here");
        assertThat(retrieved(clinician, instanceUrlOf(original))).isEqualTo(original);
    }

    private static void assertRejected(DicomwebHttp http, byte[] object, String comment) {
        HttpResponse<byte[]> response = http.stow("/studies", List.of(object));
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(409);
        JsonNode failed = DicomwebHttp.parse(response).path("00081198").path("Value").get(0);
        assertThat(failed.path("00081197").path("Value").get(0).asInt()).isEqualTo(0x0111);
        assertThat(value(failed, "00000902")).contains(comment);
    }

    /** The object with its study, series and SOP Instance UIDs made its own (same length, so the file stays valid). */
    static byte[] ownUids(byte[] object, String suffix) {
        String text = new String(object, StandardCharsets.ISO_8859_1);
        return text.replace("20040826185059.5457", "20040826185059." + suffix)
                .replace("20040119072730.12322", "20040119072730.1" + suffix)
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private String instanceUrlOf(byte[] stored) {
        String text = new String(stored, StandardCharsets.ISO_8859_1);
        String study = text.contains("20040826185059.") ? "1.3.6.1.4.1.5962.1.2.4.20040826185059." : null;
        assertThat(study).isNotNull();
        String suffix = text.substring(text.indexOf(study) + study.length(), text.indexOf(study) + study.length() + 4);
        return "/studies/" + study + suffix + "/series/1.3.6.1.4.1.5962.1.3.4.1.20040826185059." + suffix
                + "/instances/1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059." + suffix;
    }

    private static byte[] retrieved(DicomwebHttp http, String instancePath) {
        HttpResponse<byte[]> response = http.get(instancePath, null);
        assertThat(response.statusCode()).isEqualTo(200);
        List<MultipartParts.Body> parts = DicomwebHttp.parts(response);
        return parts.get(0).bytes();
    }

    /** Runs a dcmtk tool from Debian's dcmtk package: {@code tool [options] in out}. */
    private static Path dcmtk(Path directory, String tool, Path in, String out, String... options) throws Exception {
        Path target = directory.resolve(out);
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/" + tool));
        command.addAll(List.of(options));
        command.addAll(List.of(in.toString(), target.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(tool + ": " + output).isZero();
        return target;
    }
}
