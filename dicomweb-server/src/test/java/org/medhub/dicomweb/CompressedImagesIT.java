package org.medhub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.medhub.dicomweb.dicom.DicomObjects;
import org.medhub.dicomweb.dicom.ImageRendering;
import org.medhub.dicomweb.dicom.TestObjects;
import org.medhub.dicomweb.dicom.Transcoding;
import org.medhub.dicomweb.stow.MultipartParts;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * JPEG lossless and JPEG 2000 objects through HTTP: frames decoded by default and as stored on
 * request, rendered images and thumbnails, and retrieval in Explicit VR Little Endian, each compared
 * with an uncompressed (or RLE) encoding of the same image from pydicom's corpus. JPEG-LS still has
 * no decoder and keeps its 406.
 */
@DicomwebServerTest
@TestInstance(Lifecycle.PER_CLASS)
class CompressedImagesIT {

    private static final String ELE = "1.2.840.10008.1.2.1";
    private static final String OCTET_FRAMES = "multipart/related; type=\"application/octet-stream\"";

    @LocalServerPort
    int port;

    DicomwebHttp clinician;
    final Map<String, String> paths = new HashMap<>();

    @BeforeAll
    void storeCorpusCopies() {
        clinician = DicomwebHttp.as(port, "clinician");
        for (String name : List.of("MR_small_jp2klossless.dcm", "SC_rgb_jpeg_gdcm.dcm", "JPEG2000.dcm", "MR_small_jpeg_ls_lossless.dcm",
                "JPEG2000-embedded-sequence-delimiter.dcm")) {
            HttpResponse<byte[]> stored = clinician.stow("/studies", List.of(TestObjects.withNewUids(name)));
            assertThat(stored.statusCode()).as(name + ": " + new String(stored.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            String url = DicomwebHttp.value(DicomwebHttp.parse(stored).path("00081199").path("Value").get(0), "00081190");
            paths.put(name, url.substring(url.indexOf("/dicomweb") + "/dicomweb".length()));
        }
    }

    @ParameterizedTest
    @CsvSource({
        "MR_small_jp2klossless.dcm, MR_small.dcm, 1.2.840.10008.1.2.4.90, image/jp2",
        "SC_rgb_jpeg_gdcm.dcm, SC_rgb_rle.dcm, 1.2.840.10008.1.2.4.70, image/jpeg",
    })
    void framesAreTheReferencePixelsDecodedOrTheStoredBitStreamOnRequest(String name, String reference, String syntax,
            String compressedType) throws IOException {
        HttpResponse<byte[]> decoded = clinician.get(paths.get(name) + "/frames/1", OCTET_FRAMES);
        MultipartParts.Body plain = onlyPart(decoded);
        assertThat(plain.headers().get("content-type")).isEqualTo("application/octet-stream; transfer-syntax=" + ELE);
        assertThat(plain.bytes()).isEqualTo(DicomObjects.frames(corpus(reference), new int[] {1})[0]);

        byte[] bitStream = Transcoding.compressedFrames(corpus(name), new int[] {1})[0];
        MultipartParts.Body asStored = onlyPart(clinician.get(paths.get(name) + "/frames/1", OCTET_FRAMES + "; transfer-syntax=*"));
        assertThat(asStored.headers().get("content-type")).isEqualTo("application/octet-stream; transfer-syntax=" + syntax);
        assertThat(asStored.bytes()).isEqualTo(bitStream);
        MultipartParts.Body typed = onlyPart(clinician.get(paths.get(name) + "/frames/1",
                "multipart/related; type=\"" + compressedType + "\"; transfer-syntax=" + syntax));
        assertThat(typed.headers().get("content-type")).isEqualTo(compressedType + "; transfer-syntax=" + syntax);
        assertThat(typed.bytes()).isEqualTo(bitStream);
    }

    @ParameterizedTest
    @CsvSource({"MR_small_jp2klossless.dcm, MR_small.dcm", "SC_rgb_jpeg_gdcm.dcm, SC_rgb_rle.dcm"})
    void renderedPngIsTheRenderingOfTheReferenceAndThumbnailsWork(String name, String reference) throws IOException {
        BufferedImage png = image(clinician.get(paths.get(name) + "/rendered?accept=image/png", null), "image/png");
        BufferedImage expected = ImageRendering.render(corpus(reference), 1, null);
        assertThat(samples(png)).isEqualTo(samples(expected));
        BufferedImage thumbnail = image(clinician.get(paths.get(name) + "/thumbnail?viewport=32,32", "image/jpeg"), "image/jpeg");
        assertThat(thumbnail.getWidth()).isEqualTo(32);
    }

    @ParameterizedTest
    @CsvSource({"MR_small_jp2klossless.dcm, MR_small.dcm", "SC_rgb_jpeg_gdcm.dcm, SC_rgb_rle.dcm"})
    void retrieveInExplicitVrLittleEndianOnRequestHasTheReferencePixels(String name, String reference) throws Exception {
        MultipartParts.Body part = onlyPart(clinician.get(paths.get(name), DicomwebHttp.DICOM_RELATED + "; transfer-syntax=" + ELE));
        assertThat(part.headers().get("content-type")).isEqualTo("application/dicom; transfer-syntax=" + ELE);
        Path transcoded = TestObjects.file(part.bytes());
        assertThat(DicomObjects.parse(transcoded).transferSyntaxUid()).isEqualTo(ELE);
        assertThat(DicomObjects.frames(transcoded, new int[] {1})[0]).isEqualTo(DicomObjects.frames(corpus(reference), new int[] {1})[0]);
    }

    @Test
    void lossyJpeg2000RendersAtItsSizeAndItsFramesAreNativeSamples() {
        String path = paths.get("JPEG2000.dcm"); // 1024 rows x 256 columns, 16 bits allocated
        BufferedImage rendered = image(clinician.get(path + "/rendered", "image/jpeg"), "image/jpeg");
        assertThat(new int[] {rendered.getWidth(), rendered.getHeight()}).containsExactly(256, 1024);
        assertThat(onlyPart(clinician.get(path + "/frames/1", OCTET_FRAMES)).bytes()).hasSize(1024 * 256 * 2);
        assertThat(clinician.get(path + "/frames/2", OCTET_FRAMES).statusCode()).isEqualTo(404);
    }

    @Test
    void jpegLsIsStillOnlyOfferedAsStored() {
        String path = paths.get("MR_small_jpeg_ls_lossless.dcm");
        assertThat(clinician.get(path + "/frames/1", OCTET_FRAMES).statusCode()).isEqualTo(406);
        assertThat(clinician.get(path + "/rendered", null).statusCode()).isEqualTo(406);
        assertThat(clinician.get(path, DicomwebHttp.DICOM_RELATED + "; transfer-syntax=" + ELE).statusCode()).isEqualTo(406);
        MultipartParts.Body asStored = onlyPart(clinician.get(path + "/frames/1", OCTET_FRAMES + "; transfer-syntax=*"));
        assertThat(asStored.headers().get("content-type")).isEqualTo("application/octet-stream; transfer-syntax=1.2.840.10008.1.2.4.80");
    }

    @Test
    void aJpeg2000StreamThatDoesNotDecodeIsNotAcceptableNotAServerError() {
        String path = paths.get("JPEG2000-embedded-sequence-delimiter.dcm");
        assertThat(clinician.get(path, DicomwebHttp.DICOM_RELATED + "; transfer-syntax=" + ELE).statusCode()).isEqualTo(406);
        assertThat(clinician.get(path + "/frames/1", OCTET_FRAMES).statusCode()).isEqualTo(406);
        assertThat(onlyPart(clinician.get(path, DicomwebHttp.DICOM_RELATED + "; transfer-syntax=*")).bytes()).isNotEmpty();
    }

    private static Path corpus(String name) {
        return TestObjects.TEST_FILES.resolve(name);
    }

    private static MultipartParts.Body onlyPart(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        List<MultipartParts.Body> parts = DicomwebHttp.parts(response);
        assertThat(parts).hasSize(1);
        return parts.get(0);
    }

    private static BufferedImage image(HttpResponse<byte[]> response, String mediaType) {
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(mediaType);
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.body()));
            assertThat(image).as("a decodable " + mediaType).isNotNull();
            return image;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static int[] samples(BufferedImage image) {
        return image.getRaster().getPixels(0, 0, image.getWidth(), image.getHeight(), (int[]) null);
    }
}
