package org.medhub.dicomweb.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.medhub.dicomweb.dicom.TestObjects.TEST_FILES;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PixelMed decoding, transcoding and rendering on Debian's pydicom corpus. */
class RenderingAndTranscodingTest {

    private static final Path MR = TEST_FILES.resolve("MR_small.dcm");
    private static final Path CT = TEST_FILES.resolve("CT_small.dcm");
    private static final VoiWindow WIDE = new VoiWindow(1000, 2400, VoiWindow.Function.LINEAR);

    @ParameterizedTest
    @ValueSource(strings = {"MR_small_bigendian.dcm", "MR_small_expb.dcm", "MR_small_implicit.dcm", "MR_small_RLE.dcm",
        "MR_small_jp2klossless.dcm"})
    void framesOfEveryEncodingAreTheLittleEndianPixelsOfTheReference(String name) throws IOException {
        byte[] reference = DicomObjects.frames(MR, new int[] {1})[0];
        assertThat(reference).hasSize(64 * 64 * 2);
        assertThat(DicomObjects.frames(TEST_FILES.resolve(name), new int[] {1})[0]).isEqualTo(reference);
    }

    @Test
    void bigEndianThirtyTwoBitFramesAreSwappedWholeValues() throws IOException {
        byte[][] reference = DicomObjects.frames(TEST_FILES.resolve("rtdose.dcm"), new int[] {1, 15});
        assertThat(reference[0]).hasSize(10 * 10 * 4);
        assertThat(DicomObjects.frames(TEST_FILES.resolve("rtdose_expb.dcm"), new int[] {1, 15})).isEqualTo(reference);
        assertThat(DicomObjects.bulkData(TEST_FILES.resolve("rtdose_expb.dcm"), 0x7FE00010))
                .isEqualTo(DicomObjects.bulkData(TEST_FILES.resolve("rtdose.dcm"), 0x7FE00010));
    }

    @Test
    void bigEndianEightBitColourFramesKeepTheirSampleOrder() throws IOException {
        byte[] frame = DicomObjects.frames(TEST_FILES.resolve("ExplVR_BigEnd.dcm"), new int[] {1})[0];
        assertThat(frame).hasSize(60 * 80 * 3);
        BufferedImage rendered = ImageRendering.render(TEST_FILES.resolve("ExplVR_BigEnd.dcm"), 1, null);
        // Planar Configuration 1: the red, green and blue planes one after the other, as the renderer shows them.
        int plane = 60 * 80;
        for (int pixel : new int[] {0, 1, 2, 1234, plane - 1}) {
            int rgb = rendered.getRGB(pixel % 80, pixel / 80) & 0xFFFFFF;
            assertThat(((frame[pixel] & 0xFF) << 16) | ((frame[plane + pixel] & 0xFF) << 8) | (frame[2 * plane + pixel] & 0xFF))
                    .isEqualTo(rgb);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"MR_small_RLE.dcm:MR_small.dcm", "MR_small_bigendian.dcm:MR_small.dcm",
        "rtdose_expb.dcm:rtdose.dcm", "SC_rgb_rle_2frame.dcm:SC_rgb_rle_2frame.dcm",
        "MR_small_jp2klossless.dcm:MR_small.dcm", "SC_rgb_jpeg_gdcm.dcm:SC_rgb_rle.dcm"})
    void objectsAreRewrittenInExplicitLittleEndianWithTheSamePixels(String pair) throws Exception {
        String[] names = pair.split(":");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Transcoding.writeExplicitLittleEndian(TEST_FILES.resolve(names[0]), out);
        Path transcoded = TestObjects.file(out.toByteArray());
        assertThat(DicomObjects.parse(transcoded).transferSyntaxUid()).isEqualTo(TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN);
        assertThat(DicomObjects.frames(transcoded, new int[] {1})[0])
                .isEqualTo(DicomObjects.frames(TEST_FILES.resolve(names[1]), new int[] {1})[0]);
    }

    @Test
    void whatPixelMedCannotDecodeIsUnsupportedNotAnError() {
        assertThatThrownBy(() -> Transcoding.writeExplicitLittleEndian(
                TEST_FILES.resolve("MR_small_jpeg_ls_lossless.dcm"), new ByteArrayOutputStream()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Transcoding.writeExplicitLittleEndian(
                TEST_FILES.resolve("rtdose_rle.dcm"), new ByteArrayOutputStream())) // 32-bit RLE
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ImageRendering.render(TEST_FILES.resolve("JPGExtended.dcm"), 1, null)) // 12-bit JPEG
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> DicomObjects.frames(TEST_FILES.resolve("MR_small_jpeg_ls_lossless.dcm"), new int[] {1}))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ImageRendering.render(TEST_FILES.resolve("rtplan.dcm"), 1, null))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("not an image");
    }

    @Test
    void compressedFramesAreTheStoredBitStreams() throws IOException {
        byte[] jpeg = Transcoding.compressedFrames(TEST_FILES.resolve("SC_rgb_jpeg_dcmtk.dcm"), new int[] {1})[0];
        assertThat(jpeg[0] & 0xFF).isEqualTo(0xFF);
        assertThat(jpeg[1] & 0xFF).isEqualTo(0xD8); // JPEG start of image
        assertThat(Transcoding.compressedFrames(TEST_FILES.resolve("SC_rgb_rle_2frame.dcm"), new int[] {2, 1})).hasNumberOfRows(2);
        assertThatThrownBy(() -> Transcoding.compressedFrames(TEST_FILES.resolve("SC_rgb_rle_2frame.dcm"), new int[] {3}))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Transcoding.compressedFrames(MR, new int[] {1}))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void greyscaleUsesTheObjectsWindowByDefaultAndAGivenWindowOtherwise() throws IOException {
        BufferedImage own = ImageRendering.render(MR, 1, null);
        assertThat(own.getWidth()).isEqualTo(64);
        assertThat(own.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
        assertThat(distinctValues(own)).isGreaterThan(50);
        BufferedImage ownWindowGivenExplicitly = ImageRendering.render(MR, 1, new VoiWindow(600, 1600, VoiWindow.Function.LINEAR));
        assertThat(pixels(ownWindowGivenExplicitly)).isEqualTo(pixels(own));
        BufferedImage narrow = ImageRendering.render(MR, 1, new VoiWindow(600, 1, VoiWindow.Function.LINEAR));
        assertThat(distinctValues(narrow)).isEqualTo(2);
        assertThat(pixels(ImageRendering.render(MR, 1, WIDE))).isNotEqualTo(pixels(own));
    }

    @Test
    void theWindowIsInRescaledUnits() throws IOException {
        // CT_small: Rescale Intercept -1024, so a window in Hounsfield units over raw values shifted by 1024.
        BufferedImage hounsfield = ImageRendering.render(CT, 1, new VoiWindow(40, 400, VoiWindow.Function.LINEAR));
        Path unrescaled = TestObjects.file(TestObjects.rewritten("CT_small.dcm", Map.of("RescaleIntercept", "0")));
        BufferedImage raw = ImageRendering.render(unrescaled, 1, new VoiWindow(1064, 400, VoiWindow.Function.LINEAR));
        assertThat(distinctValues(hounsfield)).isGreaterThan(20);
        assertThat(pixels(raw)).isEqualTo(pixels(hounsfield));
    }

    @Test
    void monochrome1IsInverted() throws IOException {
        Path inverted = TestObjects.file(TestObjects.rewritten("MR_small.dcm", Map.of("PhotometricInterpretation", "MONOCHROME1")));
        int[] normal = pixels(ImageRendering.render(MR, 1, null));
        int[] shown = pixels(ImageRendering.render(inverted, 1, null));
        for (int i = 0; i < normal.length; i++) {
            assertThat(shown[i]).isEqualTo(255 - normal[i]);
        }
    }

    @Test
    void colourIsRgbWhateverTheEncoding() throws IOException {
        BufferedImage rgb = ImageRendering.render(TEST_FILES.resolve("SC_rgb_dcmtk_+eb+cr.dcm"), 1, null);
        BufferedImage ybrJpeg = ImageRendering.render(TEST_FILES.resolve("SC_rgb_jpeg_dcmtk.dcm"), 1, null);
        BufferedImage ybrNative = ImageRendering.render(TEST_FILES.resolve("SC_ybr_full_422_uncompressed.dcm"), 1, null);
        for (int[] at : new int[][] {{5, 5}, {50, 50}, {95, 95}, {50, 15}, {50, 85}}) {
            assertThat(distance(rgb.getRGB(at[0], at[1]), ybrJpeg.getRGB(at[0], at[1]))).as("JPEG at %s", Arrays.toString(at)).isLessThan(30);
            assertThat(distance(rgb.getRGB(at[0], at[1]), ybrNative.getRGB(at[0], at[1]))).as("YBR at %s", Arrays.toString(at)).isLessThan(30);
        }
    }

    @Test
    void multiFrameImagesRenderEachFrame() throws IOException {
        Path twoFrames = TEST_FILES.resolve("SC_rgb_rle_2frame.dcm");
        assertThat(ImageRendering.render(twoFrames, 2, null).getWidth()).isEqualTo(100);
        assertThatThrownBy(() -> ImageRendering.render(twoFrames, 3, null)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void linearWindowFollowsPs33() {
        VoiWindow window = new VoiWindow(100, 11, VoiWindow.Function.LINEAR);
        assertThat(window.apply(94)).isZero();      // x <= c - 0.5 - (w-1)/2 = 94.5
        assertThat(window.apply(105)).isEqualTo(255); // x > c - 0.5 + (w-1)/2 = 104.5
        assertThat(window.apply(99.5)).isEqualTo(128);
        assertThat(new VoiWindow(100, 10, VoiWindow.Function.SIGMOID).apply(100)).isEqualTo(128);
        assertThat(new VoiWindow(100, 10, VoiWindow.Function.LINEAR_EXACT).apply(95)).isZero();
        assertThatThrownBy(() -> new VoiWindow(0, 0, VoiWindow.Function.LINEAR)).isInstanceOf(IllegalArgumentException.class);
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRaster().getPixels(0, 0, image.getWidth(), image.getHeight(), (int[]) null);
    }

    private static long distinctValues(BufferedImage image) {
        return Arrays.stream(pixels(image)).distinct().count();
    }

    private static int distance(int a, int b) {
        return Math.abs(((a >> 16) & 0xFF) - ((b >> 16) & 0xFF)) + Math.abs(((a >> 8) & 0xFF) - ((b >> 8) & 0xFF))
                + Math.abs((a & 0xFF) - (b & 0xFF));
    }
}
