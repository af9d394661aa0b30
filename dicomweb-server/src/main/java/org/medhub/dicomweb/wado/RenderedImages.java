package org.medhub.dicomweb.wado;

import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.medhub.dicomweb.deid.ResearcherView;
import org.medhub.dicomweb.dicom.EncapsulatedDocuments;
import org.medhub.dicomweb.dicom.ImageRendering;
import org.medhub.dicomweb.index.IndexedInstance;
import org.medhub.dicomweb.store.DicomStorage;
import org.medhub.dicomweb.wado.RenderOptions.Viewport;
import org.medhub.dicomweb.web.DicomwebErrors.DicomwebException;
import org.springframework.http.HttpStatus;

/**
 * Stored frames rendered as the client asked: drawn by {@link ImageRendering}, cut to the viewport's
 * region, scaled to fit it, and encoded as JPEG or PNG with Java ImageIO. A researcher's image is
 * drawn from the de-identified object, so burned-in text a pixel rule blanks is blank in it too.
 */
public final class RenderedImages {

    private final DicomStorage storage;

    public RenderedImages(DicomStorage storage) {
        this.storage = storage;
    }

    /**
     * The instance as the caller may see it: the stored object for callers who may read identified
     * images ({@code view} null); for a researcher, the de-identified object (Clean Pixel Data rules
     * applied to its pixels), or null when the research profile withholds it. Close it when done.
     */
    public Viewed open(IndexedInstance stored, ResearcherView view) throws IOException {
        Path file = storage.file(stored.storageKey());
        if (view == null) {
            return new Viewed(stored, file, false);
        }
        Optional<byte[]> deidentified = view.object(file, view.identity(stored.studyUid()));
        if (deidentified.isEmpty()) {
            return null;
        }
        // The renderer and transcoder read files; this one holds no identity and lives only for the
        // request (createTempFile makes it readable by the server's user alone).
        Path copy = Files.createTempFile("medhub-deid-", ".dcm");
        try {
            Files.write(copy, deidentified.get());
        } catch (IOException e) {
            Files.deleteIfExists(copy);
            throw e;
        }
        return new Viewed(stored, copy, true);
    }

    /** As {@link #open}, with 404 for an instance the de-identified view withholds. */
    public Viewed openReleased(IndexedInstance stored, ResearcherView view) throws IOException {
        Viewed viewed = open(stored, view);
        if (viewed == null) {
            throw new DicomwebException(HttpStatus.NOT_FOUND, "the de-identified view withholds this instance");
        }
        return viewed;
    }

    /** An instance opened by {@link #open}: the object's file, rendered or sent as it is. */
    public static final class Viewed implements AutoCloseable {

        private final IndexedInstance stored;
        private final Path file;
        private final boolean temporary;

        private Viewed(IndexedInstance stored, Path file, boolean temporary) {
            this.stored = stored;
            this.file = file;
            this.temporary = temporary;
        }

        public IndexedInstance stored() {
            return stored;
        }

        /** The object (PS3.10) in its stored transfer syntax. */
        public Path file() {
            return file;
        }

        /**
         * Frame {@code frame} (from 1), encoded.
         *
         * @throws DicomwebException 406 for an object without a rendered form here (not an image, or a
         *     compression PixelMed cannot decode), 404 for a frame that does not exist
         */
        public byte[] render(int frame, RenderOptions options) throws IOException {
            BufferedImage image;
            try {
                image = ImageRendering.render(file, frame, options.window());
            } catch (UnsupportedOperationException e) {
                throw new DicomwebException(HttpStatus.NOT_ACCEPTABLE, e.getMessage());
            } catch (IndexOutOfBoundsException e) {
                throw new DicomwebException(HttpStatus.NOT_FOUND, e.getMessage());
            }
            return encode(image, options);
        }

        /**
         * The document of an Encapsulated PDF instance, or null for any other instance (the
         * de-identified view withholds encapsulated documents, so a researcher never gets here with one).
         */
        public byte[] pdf() throws IOException {
            if (!EncapsulatedDocuments.isPdfClass(stored.sopClassUid())) {
                return null;
            }
            try {
                return EncapsulatedDocuments.pdf(file);
            } catch (UnsupportedOperationException e) {
                return null;
            }
        }

        @Override
        public void close() throws IOException {
            if (temporary) {
                Files.deleteIfExists(file);
            }
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
