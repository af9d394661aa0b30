package org.medhub.dicomweb.wado;

import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.medhub.dicomweb.dicom.EncapsulatedDocuments;
import org.medhub.dicomweb.dicom.ImageRendering;
import org.medhub.dicomweb.index.IndexedInstance;
import org.medhub.dicomweb.store.DicomStorage;
import org.medhub.dicomweb.wado.RenderOptions.Viewport;
import org.medhub.dicomweb.web.DicomwebErrors.DicomwebException;
import org.springframework.http.HttpStatus;

/**
 * Stored frames rendered as the client asked: drawn by {@link ImageRendering}, cut to the viewport's
 * region, scaled to fit it, and encoded as JPEG or PNG with Java ImageIO.
 */
public final class RenderedImages {

    private final DicomStorage storage;

    public RenderedImages(DicomStorage storage) {
        this.storage = storage;
    }

    /**
     * Frame {@code frame} (from 1) of a stored instance, encoded.
     *
     * @throws DicomwebException 406 for an object without a rendered form here (not an image, or a
     *     compression PixelMed cannot decode), 404 for a frame that does not exist
     */
    public byte[] render(IndexedInstance stored, int frame, RenderOptions options) throws IOException {
        BufferedImage image;
        try {
            image = ImageRendering.render(storage.file(stored.storageKey()), frame, options.window());
        } catch (UnsupportedOperationException e) {
            throw new DicomwebException(HttpStatus.NOT_ACCEPTABLE, e.getMessage());
        } catch (IndexOutOfBoundsException e) {
            throw new DicomwebException(HttpStatus.NOT_FOUND, e.getMessage());
        }
        return encode(image, options);
    }

    /** The document of an Encapsulated PDF instance, or null for any other instance. */
    public byte[] pdf(IndexedInstance stored) throws IOException {
        if (!EncapsulatedDocuments.isPdfClass(stored.sopClassUid())) {
            return null;
        }
        try {
            return EncapsulatedDocuments.pdf(storage.file(stored.storageKey()));
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    private static byte[] encode(BufferedImage image, RenderOptions options) throws IOException {
        BufferedImage shown = options.viewport() == null ? image : fit(image, options.viewport());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (RenderOptions.PNG.equals(options.mediaType())) {
            ImageIO.write(shown, "png", out);
            return out.toByteArray();
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam parameters = writer.getDefaultWriteParam();
            parameters.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            parameters.setCompressionQuality(options.quality() / 100f);
            writer.write(null, new IIOImage(shown, null, null), parameters);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** PS3.18 8.3.5.1.3: the source region (all by default) scaled to fit the viewport, aspect ratio kept. */
    static BufferedImage fit(BufferedImage image, Viewport viewport) {
        Rectangle region = viewport.region() != null ? viewport.region() : new Rectangle(image.getWidth(), image.getHeight());
        Rectangle inside = region.intersection(new Rectangle(image.getWidth(), image.getHeight()));
        if (inside.isEmpty()) {
            throw new DicomwebException(HttpStatus.BAD_REQUEST, "the viewport's source region lies outside the image ("
                    + image.getWidth() + "x" + image.getHeight() + ")");
        }
        double scale = Math.min((double) viewport.width() / inside.width, (double) viewport.height() / inside.height);
        int width = Math.max(1, (int) Math.round(inside.width * scale));
        int height = Math.max(1, (int) Math.round(inside.height * scale));
        BufferedImage scaled = new BufferedImage(width, height, image.getType());
        Graphics2D graphics = scaled.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            graphics.drawImage(image, 0, 0, width, height, inside.x, inside.y, inside.x + inside.width,
                    inside.y + inside.height, null);
        } finally {
            graphics.dispose();
        }
        return scaled;
    }
}
