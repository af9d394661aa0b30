package org.medhub.dicomweb.wado;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.medhub.dicomweb.DicomwebLimits;
import org.medhub.dicomweb.deid.ReadAccess;
import org.medhub.dicomweb.deid.ResearcherView;
import org.medhub.dicomweb.dicom.EncapsulatedDocuments;
import org.medhub.dicomweb.index.IndexedInstance;
import org.medhub.dicomweb.wado.RenderedImages.Viewed;
import org.medhub.dicomweb.web.DicomwebErrors.DicomwebException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The rendered and thumbnail resources of WADO-RS (PS3.18 10.4.1.1.3 and 10.4.1.1.4): JPEG or PNG
 * with the {@code accept}, {@code window}, {@code viewport} and {@code quality} parameters. A study or
 * series renders as one image per instance (its first frame) in a multipart answer; its thumbnail
 * is the middle instance of its first series. An Encapsulated PDF instance renders as its document.
 * A researcher addresses instances by their pseudonymous UIDs and sees them as the research profile
 * does: drawn from the de-identified object, and not at all when the profile withholds them.
 */
@RestController
public class RenderedController {

    private final StoredInstances lookup;
    private final RenderedImages images;
    private final ReadAccess access;
    private final DicomwebLimits limits;

    public RenderedController(StoredInstances lookup, RenderedImages images, ReadAccess access, DicomwebLimits limits) {
        this.lookup = lookup;
        this.images = images;
        this.access = access;
        this.limits = limits;
    }

    @GetMapping({"/dicomweb/studies/{study}/rendered", "/dicomweb/studies/{study}/series/{series}/rendered"})
    public void renderedSet(HttpServletRequest request, HttpServletResponse response, @PathVariable String study,
            @PathVariable(required = false) String series) throws IOException {
        RenderOptions options = options(request, null);
        ResearcherView view = access.readView();
        List<IndexedInstance> instances = lookup.found(request, view, study, series, null);
        List<byte[]> rendered = new ArrayList<>();
        boolean anyReleased = false;
        for (IndexedInstance stored : instances) {
            try (Viewed viewed = images.open(stored, view)) {
                if (viewed == null) {
                    continue; // withheld from the de-identified view
                }
                anyReleased = true;
                rendered.add(viewed.render(1, options));
            } catch (DicomwebException e) {
                // A study may hold objects without a rendered form (reports, documents): leave them out.
                if (e.status() != HttpStatus.NOT_ACCEPTABLE) {
                    throw e;
                }
            }
        }
        if (!anyReleased) {
            throw withheld();
        }
        if (rendered.isEmpty()) {
            throw new DicomwebException(HttpStatus.NOT_ACCEPTABLE, "none of the instances has a rendered image form");
        }
        lookup.audited(request, instances);
        writeMultipart(response, options.mediaType(), rendered);
    }

    @GetMapping("/dicomweb/studies/{study}/series/{series}/instances/{instance}/rendered")
    public void renderedInstance(HttpServletRequest request, HttpServletResponse response, @PathVariable String study,
            @PathVariable String series, @PathVariable String instance) throws IOException {
        ResearcherView view = access.readView();
        IndexedInstance stored = lookup.found(request, view, study, series, instance).get(0);
        try (Viewed viewed = images.openReleased(stored, view)) {
            byte[] pdf = viewed.pdf();
            if (pdf != null) {
                if (!RenderOptions.acceptsPdf(request.getParameter("accept"), request.getHeader("Accept"))) {
                    throw new DicomwebException(HttpStatus.NOT_ACCEPTABLE, "this instance renders as application/pdf");
                }
                write(request, response, stored, EncapsulatedDocuments.PDF, pdf);
                return;
            }
            RenderOptions options = options(request, null);
            write(request, response, stored, options, viewed.render(1, options));
        }
    }

    @GetMapping("/dicomweb/studies/{study}/series/{series}/instances/{instance}/frames/{frames}/rendered")
    public void renderedFrames(HttpServletRequest request, HttpServletResponse response, @PathVariable String study,
            @PathVariable String series, @PathVariable String instance, @PathVariable String frames) throws IOException {
        RenderOptions options = options(request, null);
        int[] numbers = FrameList.parse(frames, limits);
        ResearcherView view = access.readView();
        IndexedInstance stored = lookup.found(request, view, study, series, instance).get(0);
        try (Viewed viewed = images.openReleased(stored, view)) {
            if (numbers.length == 1) {
                write(request, response, stored, options, viewed.render(numbers[0], options));
                return;
            }
            List<byte[]> rendered = new ArrayList<>();
            for (int number : numbers) {
                rendered.add(viewed.render(number, options));
            }
            lookup.audited(request, List.of(stored));
            writeMultipart(response, options.mediaType(), rendered);
        }
    }

    @GetMapping({"/dicomweb/studies/{study}/thumbnail", "/dicomweb/studies/{study}/series/{series}/thumbnail",
            "/dicomweb/studies/{study}/series/{series}/instances/{instance}/thumbnail"})
    public void thumbnail(HttpServletRequest request, HttpServletResponse response, @PathVariable String study,
            @PathVariable(required = false) String series, @PathVariable(required = false) String instance)
            throws IOException {
        RenderOptions options = options(request, RenderOptions.THUMBNAIL);
        ResearcherView view = access.readView();
        List<IndexedInstance> instances = lookup.found(request, view, study, series, instance);
        for (IndexedInstance candidate : representatives(instances)) {
            try (Viewed viewed = images.open(candidate, view)) {
                if (viewed != null) {
                    write(request, response, candidate, options, viewed.render(1, options));
                    return;
                }
            }
        }
        throw withheld();
    }

    @GetMapping("/dicomweb/studies/{study}/series/{series}/instances/{instance}/frames/{frame}/thumbnail")
    public void frameThumbnail(HttpServletRequest request, HttpServletResponse response, @PathVariable String study,
            @PathVariable String series, @PathVariable String instance, @PathVariable String frame) throws IOException {
        RenderOptions options = options(request, RenderOptions.THUMBNAIL);
        int[] numbers = FrameList.parse(frame, limits);
        ResearcherView view = access.readView();
        IndexedInstance stored = lookup.found(request, view, study, series, instance).get(0);
        try (Viewed viewed = images.openReleased(stored, view)) {
            write(request, response, stored, options, viewed.render(numbers[0], options));
        }
    }

    /**
     * The instances a thumbnail may show, best first: the middle instance of the first series
     * (instances come ordered by series and instance number), then its neighbours outwards, then the
     * other series. Only the de-identified view ever needs more than the first: it withholds some.
     */
    static List<IndexedInstance> representatives(List<IndexedInstance> instances) {
        String firstSeries = instances.get(0).seriesUid();
        List<IndexedInstance> series = instances.stream().filter(i -> i.seriesUid().equals(firstSeries)).toList();
        int middle = series.size() / 2;
        List<IndexedInstance> ordered = new ArrayList<>();
        for (int step = 0; ordered.size() < series.size(); step++) {
            if (middle + step < series.size()) {
                ordered.add(series.get(middle + step));
            }
            if (step > 0 && middle - step >= 0) {
                ordered.add(series.get(middle - step));
            }
        }
        instances.stream().filter(i -> !i.seriesUid().equals(firstSeries)).forEach(ordered::add);
        return ordered;
    }

    private static DicomwebException withheld() {
        return new DicomwebException(HttpStatus.NOT_FOUND, "the de-identified view withholds every instance addressed");
    }

    /** Parameters are checked before the index is asked, so a bad request is 400 whatever is stored. */
    private static RenderOptions options(HttpServletRequest request, RenderOptions.Viewport defaultViewport) {
        RenderOptions.Viewport viewport = RenderOptions.viewport(request.getParameter("viewport"));
        return new RenderOptions(
                RenderOptions.negotiate(request.getParameter("accept"), request.getHeader("Accept")),
                RenderOptions.window(request.getParameter("window")),
                viewport != null ? viewport : defaultViewport,
                RenderOptions.quality(request.getParameter("quality")));
    }

    private void write(HttpServletRequest request, HttpServletResponse response, IndexedInstance stored,
            RenderOptions options, byte[] image) throws IOException {
        write(request, response, stored, options.mediaType(), image);
    }

    private void write(HttpServletRequest request, HttpServletResponse response, IndexedInstance stored,
            String mediaType, byte[] image) throws IOException {
        lookup.audited(request, List.of(stored));
        response.setContentType(mediaType);
        // PITFALLS.md: OHIF runs cross-origin isolated and loads rendered resources from another origin.
        response.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
        response.setContentLength(image.length);
        response.getOutputStream().write(image);
    }

    private static void writeMultipart(HttpServletResponse response, String partType, List<byte[]> parts)
            throws IOException {
        String boundary = UUID.randomUUID().toString();
        response.setContentType("multipart/related; type=\"" + partType + "\"; boundary=" + boundary);
        response.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
        OutputStream out = response.getOutputStream();
        for (byte[] part : parts) {
            out.write(("--" + boundary + "\r\nContent-Type: " + partType + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(part);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    }
}
