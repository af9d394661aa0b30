package org.medhub.dicomweb.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.medhub.dicomweb.dicom.TestObjects.TEST_FILES;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * JPEG lossless (PixelMed's codec) and JPEG 2000 (JJ2000) decoding on Debian's pydicom corpus:
 * lossless encodings give exactly the pixels of an uncompressed or RLE encoding of the same image,
 * lossy ones an image close to it; JPEG-LS stays undecodable.
 */
class CompressedPixelDataTest {

    @ParameterizedTest
    @CsvSource({
        "MR_small_jp2klossless.dcm, MR_small.dcm, 64, 64, 1",   // JPEG 2000 lossless (.90), 16-bit signed
        "SC_rgb_jpeg_gdcm.dcm, SC_rgb_rle.dcm, 100, 100, 3",    // JPEG lossless SV1 (.70), 8-bit RGB
    })
    void losslessFramesAndRenderingsAreThoseOfTheReference(String compressed, String reference, int rows, int columns,
            int samples) throws IOException {
        byte[] expected = DicomObjects.frames(TEST_FILES.resolve(reference), new int[] {1})[0];
        byte[] decoded = DicomObjects.frames(TEST_FILES.resolve(compressed), new int[] {1})[0];
        assertThat(decoded).hasSize(expected.length).isEqualTo(expected);
        assertThat(expected.length).isGreaterThanOrEqualTo(rows * columns * samples);
        assertThat(pixels(ImageRendering.render(TEST_FILES.resolve(compressed), 1, null)))
                .isEqualTo(pixels(ImageRendering.render(TEST_FILES.resolve(reference), 1, null)));
    }

    @Test
    void lossyJpeg2000ColourIsCloseToTheLosslessImage() throws IOException {
        BufferedImage lossless = ImageRendering.render(TEST_FILES.resolve("SC_rgb_rle.dcm"), 1, null);
        BufferedImage lossy = ImageRendering.render(TEST_FILES.resolve("SC_rgb_gdcm_KY.dcm"), 1, null); // .91
        long far = 0;
        for (int y = 0; y < lossless.getHeight(); y++) {
            for (int x = 0; x < lossless.getWidth(); x++) {
                far += distance(lossless.getRGB(x, y), lossy.getRGB(x, y)) > 30 ? 1 : 0;
            }
        }
        assertThat(lossy.getWidth()).isEqualTo(100);
        assertThat(far).as("pixels far from the original").isLessThan(100 * 100 / 50);
    }

    @Test
    void reversibleColourJpeg2000RendersAsRgb() throws IOException {
        // GDCM's test image: the words red, green and blue in their colours on grey (YBR_RCT).
        BufferedImage image = ImageRendering.render(TEST_FILES.resolve("GDCMJ2K_TextGBR.dcm"), 1, null);
        assertThat(image.getWidth()).isEqualTo(400);
        int background = image.getRGB(5, 5) & 0xFFFFFF;
        assertThat(distance(background, 0x808080)).isLessThan(10);
        assertThat(Arrays.stream(image.getRGB(0, 0, 400, 400, null, 0, 400)).map(rgb -> rgb & 0xFFFFFF).distinct()
                .filter(rgb -> distance(rgb, 0xFF0000) < 30 || distance(rgb, 0x00FF00) < 30 || distance(rgb, 0x0000FF) < 30)
                .count()).as("pure reds, greens and blues").isGreaterThanOrEqualTo(3);
    }

    @Test
    void lossyJpeg2000GreyscaleDecodesToSignedSixteenBitSamples() throws IOException {
        Path nuclear = TEST_FILES.resolve("JPEG2000.dcm"); // .91, 1024 x 256, 16 bits stored, signed
        short[] samples = samples(DicomObjects.frames(nuclear, new int[] {1})[0]);
        assertThat(samples).hasSize(1024 * 256);
        assertThat(Arrays.stream(toInts(samples)).distinct().count()).isGreaterThan(100);
        BufferedImage rendered = ImageRendering.render(nuclear, 1, null);
        assertThat(new int[] {rendered.getWidth(), rendered.getHeight()}).containsExactly(256, 1024);
        assertThat(Arrays.stream(pixels(rendered)).distinct().count()).isGreaterThan(50);
        assertThatThrownBy(() -> ImageRendering.render(nuclear, 2, null)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MR_small_jp2klossless.dcm", "SC_rgb_jpeg_gdcm.dcm", "SC_rgb_jpeg_dcmtk.dcm", "MR_small_RLE.dcm",
        "MR_small_jpeg_ls_lossless.dcm"})
    void rewrittenObjectsKeepTheirCompressedBitStreams(String name) throws Exception {
        Path original = TEST_FILES.resolve(name);
        Path deidentified = TestObjects.file(DeidentifiedObjects.transform(original, dataset -> true).orElseThrow());
        Path demo = Files.createTempFile("rewritten", ".dcm");
        new PatientRewrite("demo-1", "urn:demo", "Demo^Patient", null, null).apply(original, demo, "1.2.3.1", "1.2.3.2", "1.2.3.3");
        for (Path rewritten : new Path[] {deidentified, demo}) {
            assertThat(DicomObjects.parse(rewritten).transferSyntaxUid()).isEqualTo(DicomObjects.parse(original).transferSyntaxUid());
            assertThat(Transcoding.compressedFrames(rewritten, new int[] {1})[0])
                    .isEqualTo(Transcoding.compressedFrames(original, new int[] {1})[0]);
        }
        Files.delete(demo);
    }

    @Test
    void decodableSyntaxesAreTheOnesWithAReader() {
        for (String uid : new String[] {"1.2.840.10008.1.2.1", "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.50",
            "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91"}) {
            assertThat(TransferSyntaxes.isDecodable(uid)).as(uid).isTrue();
        }
        for (String uid : new String[] {"1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81"}) {
            assertThat(TransferSyntaxes.isDecodable(uid)).as(uid).isFalse();
        }
    }

    private static short[] samples(byte[] littleEndian) {
        short[] samples = new short[littleEndian.length / 2];
        ByteBuffer.wrap(littleEndian).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
        return samples;
    }

    private static int[] toInts(short[] values) {
        int[] ints = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            ints[i] = values[i];
        }
        return ints;
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRaster().getPixels(0, 0, image.getWidth(), image.getHeight(), (int[]) null);
    }

    private static int distance(int a, int b) {
        return Math.abs(((a >> 16) & 0xFF) - ((b >> 16) & 0xFF)) + Math.abs(((a >> 8) & 0xFF) - ((b >> 8) & 0xFF))
                + Math.abs((a & 0xFF) - (b & 0xFF));
    }
}
