package org.medhub.dicomweb.dicom;

import com.github.jaiimageio.jpeg2000.impl.J2KImageReaderSpi;
import com.pixelmed.imageio.JPEGLosslessImageReaderSpi;
import javax.imageio.spi.IIORegistry;

/**
 * The ImageIO readers PixelMed looks up by format name to decode encapsulated pixel data beyond what
 * the JDK reads: {@code jpeg-lossless} (PixelMed's codec, JPEG processes 14) and {@code JPEG2000}
 * (JAI Image I/O's JJ2000). ImageIO finds plugins once, through the context class loader of whichever
 * thread uses it first; inside the Spring Boot jar that may be a thread that cannot see the nested
 * jars, so the two are registered by hand, once, when {@link Transcoding} (every decoding path goes
 * through it) is loaded.
 */
final class ImageCodecs {

    private ImageCodecs() {}

    static void register() {
        IIORegistry registry = IIORegistry.getDefaultInstance();
        registry.registerServiceProvider(new JPEGLosslessImageReaderSpi());
        registry.registerServiceProvider(new J2KImageReaderSpi());
    }
}
