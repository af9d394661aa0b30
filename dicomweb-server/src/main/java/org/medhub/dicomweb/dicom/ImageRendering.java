package org.medhub.dicomweb.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.display.SourceImage;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One frame of a stored image as an 8-bit picture for the PS3.18 rendered and thumbnail resources
 * (PS3.18 8.3.5.1): decoded by PixelMed, grey-scale values through the Modality LUT (Rescale Slope
 * and Intercept) and a VOI window, MONOCHROME1 inverted; colour images as RGB.
 */
public final class ImageRendering {

    private ImageRendering() {}

    /**
     * Renders frame {@code frame} (from 1).
     *
     * @param window the VOI window to apply to a grey-scale image; null for the object's own (Window
     *     Center/Width, else the frame's range of values)
     * @throws UnsupportedOperationException if the object is not an image or cannot be decoded here
     * @throws IndexOutOfBoundsException if the frame does not exist
     */
    public static BufferedImage render(Path file, int frame, VoiWindow window) throws IOException {
        AttributeList list = Transcoding.decoded(file);
        if (list.getPixelData() == null) {
            throw new UnsupportedOperationException("the instance is not an image (it has no pixel data)");
        }
        SourceImage source;
        try {
            list.correctDecompressedImagePixelModule();
            source = new SourceImage(list);
        } catch (DicomException | RuntimeException e) {
            throw new UnsupportedOperationException("the pixel data cannot be rendered: " + e.getMessage(), e);
        }
        if (frame < 1 || frame > source.getNumberOfBufferedImages()) {
            throw new IndexOutOfBoundsException("frame " + frame + " does not exist (the instance has "
                    + source.getNumberOfBufferedImages() + ")");
        }
        BufferedImage decoded = source.getBufferedImage(frame - 1);
        if (decoded.getRaster().getNumBands() == 1 && decoded.getColorModel() instanceof ComponentColorModel) {
            return grayscale(list, decoded.getRaster(), window);
        }
        String photometric = text(list, TagFromName.PhotometricInterpretation, "RGB");
        return photometric.startsWith("YBR_FULL") ? ybrToRgb(decoded.getRaster()) : asRgb(decoded);
    }

    private static BufferedImage grayscale(AttributeList list, Raster raster, VoiWindow requested) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        int bitsStored = (int) number(list, TagFromName.BitsStored, 16);
        boolean signed = number(list, TagFromName.PixelRepresentation, 0) == 1;
        double slope = number(list, TagFromName.RescaleSlope, 1);
        double intercept = number(list, TagFromName.RescaleIntercept, 0);
        double[] values = new double[width * height];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double value = stored(raster.getSample(x, y, 0), bitsStored, signed) * slope + intercept;
                values[y * width + x] = value;
                min = Math.min(min, value);
                max = Math.max(max, value);
            }
        }
        VoiWindow window = requested != null ? requested : objectWindow(list, min, max);
        boolean invert = "MONOCHROME1".equals(text(list, TagFromName.PhotometricInterpretation, "MONOCHROME2"));
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster out = image.getRaster();
        for (int i = 0; i < values.length; i++) {
            int display = window.apply(values[i]);
            out.setSample(i % width, i / width, 0, invert ? 255 - display : display);
        }
        return image;
    }

    /** The stored value of a sample: bits above Bits Stored dropped, two's complement when signed. */
    private static long stored(int sample, int bitsStored, boolean signed) {
        if (bitsStored <= 0 || bitsStored >= 32) {
            return sample;
        }
        long masked = sample & ((1L << bitsStored) - 1);
        return signed && (masked & (1L << (bitsStored - 1))) != 0 ? masked - (1L << bitsStored) : masked;
    }

    /** The first Window Center/Width of the object (PS3.3 C.11.2), else one spanning the frame's values. */
    private static VoiWindow objectWindow(AttributeList list, double min, double max) {
        VoiWindow.Function function = VoiWindow.Function.LINEAR;
        String named = text(list, TagFromName.VOILUTFunction, null);
        if (named != null) {
            try {
                function = VoiWindow.Function.of(named);
            } catch (IllegalArgumentException e) {
                // An unknown VOI LUT Function in the object: PS3.3 says LINEAR is the default.
            }
        }
        double center = number(list, TagFromName.WindowCenter, Double.NaN);
        double width = number(list, TagFromName.WindowWidth, Double.NaN);
        if (width >= 1 && Double.isFinite(center)) {
            return new VoiWindow(center, width, function);
        }
        return new VoiWindow((min + max) / 2 + 0.5, Math.max(1, max - min + 1), VoiWindow.Function.LINEAR);
    }

    /** Uncompressed YBR_FULL / YBR_FULL_422 to RGB (PS3.3 C.7.6.3.1.2); PixelMed's decoders already give RGB for JPEG. */
    private static BufferedImage ybrToRgb(Raster raster) {
        BufferedImage image = new BufferedImage(raster.getWidth(), raster.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < raster.getHeight(); y++) {
            for (int x = 0; x < raster.getWidth(); x++) {
                double luma = raster.getSample(x, y, 0);
                double cb = raster.getSample(x, y, 1) - 128.0;
                double cr = raster.getSample(x, y, 2) - 128.0;
                int r = clamp(luma + 1.402 * cr);
                int g = clamp(luma - 0.344136 * cb - 0.714136 * cr);
                int b = clamp(luma + 1.772 * cb);
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }

    private static BufferedImage asRgb(BufferedImage decoded) {
        BufferedImage image = new BufferedImage(decoded.getWidth(), decoded.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.drawImage(decoded, 0, 0, null);
        } finally {
            graphics.dispose();
        }
        return image;
    }

    private static int clamp(double value) {
        return (int) Math.max(0, Math.min(255, Math.round(value)));
    }

    private static double number(AttributeList list, AttributeTag tag, double otherwise) {
        String value = text(list, tag, null);
        if (value == null) {
            return otherwise;
        }
        try {
            return Double.parseDouble(value.split("\\\\")[0].strip());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static String text(AttributeList list, AttributeTag tag, String otherwise) {
        String value = Attribute.getSingleStringValueOrNull(list, tag);
        return value == null || value.isBlank() ? otherwise : value.strip();
    }
}
