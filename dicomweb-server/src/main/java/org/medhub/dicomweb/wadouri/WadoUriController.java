package org.medhub.dicomweb.wadouri;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.medhub.dicomweb.deid.ReadAccess;
import org.medhub.dicomweb.deid.ResearcherView;
import org.medhub.dicomweb.dicom.TransferSyntaxes;
import org.medhub.dicomweb.dicom.Transcoding;
import org.medhub.dicomweb.index.IndexedInstance;
import org.medhub.dicomweb.wado.RenderOptions;
import org.medhub.dicomweb.wado.RenderedImages;
import org.medhub.dicomweb.wado.RenderedImages.Viewed;
import org.medhub.dicomweb.wado.StoredInstances;
import org.medhub.dicomweb.web.DicomwebErrors.DicomwebException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * WADO-URI (PS3.18 9): one instance by {@code studyUID}, {@code seriesUID} and {@code objectUID},
 * as {@code application/dicom} or rendered ({@code image/jpeg}, the default, or {@code image/png})
 * with {@code rows}, {@code columns}, {@code windowCenter}/{@code windowWidth}, {@code frameNumber}
 * and {@code imageQuality}. A researcher names the pseudonymous UIDs and gets the de-identified
 * object or its rendering, as from WADO-RS; an instance the research profile withholds is 404.
 */
@RestController
public class WadoUriController {

    private static final String DICOM = "application/dicom";

    private final StoredInstances lookup;
    private final RenderedImages images;
    private final ReadAccess access;

    public WadoUriController(StoredInstances lookup, RenderedImages images, ReadAccess access) {
        this.lookup = lookup;
        this.images = images;
        this.access = access;
    }

    @GetMapping("/dicomweb/wado")
    public void retrieve(HttpServletRequest request, HttpServletResponse response) throws IOException {
        WadoUriRequest query = WadoUriRequest.of(request::getParameter);
        ResearcherView view = access.readView();
        IndexedInstance stored = lookup.found(request, view, query.studyUid(), query.seriesUid(), query.objectUid()).get(0);
        try (Viewed viewed = images.openReleased(stored, view)) {
            answer(request, response, query, viewed);
        }
    }

    private void answer(HttpServletRequest request, HttpServletResponse response, WadoUriRequest query, Viewed viewed)
            throws IOException {
        IndexedInstance stored = viewed.stored();
        for (String type : query.contentTypes()) {
            if (type.equals(DICOM) || type.equals("application/*")) {
                String syntax = dicomSyntax(stored, query.transferSyntax());
                lookup.audited(request, List.of(stored));
                writeDicom(response, viewed, syntax);
                return;
            }
            String rendered = renderedType(type);
            if (rendered != null) {
                byte[] image;
                try {
                    image = viewed.render(query.frameNumber(), new RenderOptions(rendered,
                            query.window(), query.viewport(), query.imageQuality()));
                } catch (DicomwebException e) {
                    // No rendered form (not an image, or undecodable): the next acceptable type may do.
                    if (e.status() == HttpStatus.NOT_ACCEPTABLE) {
                        continue;
                    }
                    throw e;
                }
                lookup.audited(request, List.of(stored));
                response.setContentType(rendered);
                response.setContentLength(image.length);
                response.getOutputStream().write(image);
                return;
            }
        }
        throw new DicomwebException(HttpStatus.NOT_ACCEPTABLE,
                "WADO-URI offers application/dicom, image/jpeg and image/png; asked for " + query.contentTypes());
    }

    /**
     * PS3.18 9.1.2.1.14 (transferSyntax): the stored syntax when asked for it, Explicit VR Little
     * Endian by default and when asked for it if PixelMed can decode the pixel data; else 406.
     */
    private static String dicomSyntax(IndexedInstance stored, String requested) {
        String storedSyntax = stored.transferSyntaxUid();
        if (storedSyntax.equals(requested) || "*".equals(requested)) {
            return storedSyntax;
        }
        if (requested == null || requested.equals(TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN)) {
            if (TransferSyntaxes.isDecodable(storedSyntax)) {
                return TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN;
            }
            if (requested == null) {
                // No syntax asked for and none we can make: the stored object is better than nothing.
                return storedSyntax;
            }
        }
        throw new DicomwebException(HttpStatus.NOT_ACCEPTABLE, "the instance is offered in " + storedSyntax
                + (TransferSyntaxes.isDecodable(storedSyntax) ? " or " + TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN : ""));
    }

    /** The object as the caller may see it (the de-identified one keeps the stored transfer syntax). */
    private static void writeDicom(HttpServletResponse response, Viewed viewed, String syntax) throws IOException {
        response.setContentType(DICOM);
        if (syntax.equals(viewed.stored().transferSyntaxUid())) {
            response.setContentLengthLong(Files.size(viewed.file()));
            Files.copy(viewed.file(), response.getOutputStream());
        } else {
            Transcoding.writeExplicitLittleEndian(viewed.file(), response.getOutputStream());
        }
    }

    private static String renderedType(String type) {
        return switch (type) {
            case RenderOptions.JPEG, "image/*", "*/*" -> RenderOptions.JPEG;
            case RenderOptions.PNG -> RenderOptions.PNG;
            default -> null;
        };
    }
}
