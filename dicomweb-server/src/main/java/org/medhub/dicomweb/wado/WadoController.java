package org.medhub.dicomweb.wado;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.medhub.dicomweb.DicomwebLimits;
import org.medhub.dicomweb.deid.PatientIdentity;
import org.medhub.dicomweb.deid.ReadAccess;
import org.medhub.dicomweb.deid.ResearcherView;
import org.medhub.dicomweb.dicom.DicomObjects;
import org.medhub.dicomweb.dicom.TransferSyntaxes;
import org.medhub.dicomweb.dicom.Transcoding;
import org.medhub.dicomweb.index.IndexedInstance;
import org.medhub.dicomweb.store.DicomStorage;
import org.medhub.dicomweb.web.DicomJson;
import org.medhub.dicomweb.web.DicomwebAccess;
import org.medhub.dicomweb.web.DicomwebErrors.DicomwebException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * WADO-RS (PS3.18 10.4): instances as {@code multipart/related; type="application/dicom"} in their
 * stored transfer syntax, metadata as {@code application/dicom+json} with BulkDataURIs, bulk data,
 * and uncompressed frames.
 */
@RestController
public class WadoController {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DICOM = "application/dicom";
    private static final String OCTET_STREAM = "application/octet-stream";

    private final DicomStorage storage;
    private final StoredInstances lookup;
    private final ReadAccess access;
    private final DicomwebLimits limits;

    public WadoController(DicomStorage storage, StoredInstances lookup, ReadAccess access, DicomwebLimits limits) {
        this.storage = storage;
        this.lookup = lookup;
        this.access = access;
        this.limits = limits;
    }

    @GetMapping("/dicomweb/studies/{study}")
    public void study(HttpServletRequest request, HttpServletResponse response, @PathVariable String study)
            throws IOException {
        retrieve(request, response, study, null, null);
    }

    @GetMapping("/dicomweb/studies/{study}/series/{series}")
    public void series(HttpServletRequest request, HttpServletResponse response, @PathVariable String study,
            @PathVariable String series) throws IOException {
        retrieve(request, response, study, series, null);
    }

    @GetMapping("/dicomweb/studies/{study}/series/{series}/instances/{instance}")
    public void instance(HttpServletRequest request, HttpServletResponse response, @PathVariable String study,
            @PathVariable String series, @PathVariable String instance) throws IOException {
        retrieve(request, response, study, series, instance);
    }

    @GetMapping({"/dicomweb/studies/{study}/metadata", "/dicomweb/studies/{study}/series/{series}/metadata",
            "/dicomweb/studies/{study}/series/{series}/instances/{instance}/metadata"})
    public void metadata(HttpServletRequest request, HttpServletResponse response, @PathVariable String study,
            @PathVariable(required = false) String series, @PathVariable(required = false) String instance)
            throws IOException {
        ResearcherView view = access.readView();
        List<IndexedInstance> instances = lookup.found(request, view, study, series, instance);
        if (!AcceptedTypes.of(request.getHeader("Accept")).acceptsDicomJson()) {
            throw new DicomwebException(HttpStatus.NOT_ACCEPTABLE, "metadata is offered as application/dicom+json");
        }
        String base = DicomwebAccess.baseUrl(request);
        ArrayNode body = JsonNodeFactory.instance.arrayNode();
        PatientIdentity identity = view == null ? null : view.identity(study(instances));
        for (IndexedInstance stored : instances) {
            Path file = storage.file(stored.storageKey());
            ObjectNode metadata = DicomObjects.metadata(file, instanceUrl(base, stored) + "/bulkdata");
            if (view == null) {
                body.add(metadata);
            } else if (view.object(file, identity).isPresent()) {
                body.add(view.project(metadata, identity));
            }
        }
        lookup.audited(request, instances);
        response.setContentType(DicomJson.MEDIA_TYPE);
        MAPPER.writeValue(response.getOutputStream(), body);
    }

    @GetMapping("/dicomweb/studies/{study}/series/{series}/instances/{instance}/bulkdata/{tag}")
    public void bulkData(HttpServletRequest request, HttpServletResponse response, @PathVariable String study,
            @PathVariable String series, @PathVariable String instance, @PathVariable String tag) throws IOException {
        ResearcherView view = access.readView();
        IndexedInstance stored = lookup.found(request, view, study, series, instance).get(0);
        if (!tag.matches("[0-9A-Fa-f]{8}")) {
            throw new DicomwebException(HttpStatus.NOT_FOUND, "bulk data is addressed by an 8-digit tag");
        }
        if (view != null && !("7FE00010".equalsIgnoreCase(tag) && view.pixelsAsStored(storage.file(stored.storageKey())))) {
            throw new DicomwebException(HttpStatus.NOT_FOUND, "the de-identified view offers no such bulk data");
        }
        if (!AcceptedTypes.of(request.getHeader("Accept")).acceptsMultipart(OCTET_STREAM, TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN)) {
            throw new DicomwebException(HttpStatus.NOT_ACCEPTABLE, "bulk data is offered as multipart/related; type=\"application/octet-stream\"");
        }
        byte[] value;
        try {
            value = DicomObjects.bulkData(storage.file(stored.storageKey()), (int) Long.parseLong(tag, 16));
        } catch (UnsupportedOperationException e) {
            throw new DicomwebException(HttpStatus.NOT_ACCEPTABLE, e.getMessage());
        }
        if (value == null) {
            throw new DicomwebException(HttpStatus.NOT_FOUND, "the instance has no bulk data attribute " + tag);
        }
        lookup.audited(request, List.of(stored));
        writeParts(response, OCTET_STREAM, TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN, List.of(value),
                request.getRequestURL().toString());
    }

    @GetMapping("/dicomweb/studies/{study}/series/{series}/instances/{instance}/frames/{frames}")
    public void frames(HttpServletRequest request, HttpServletResponse response, @PathVariable String study,
            @PathVariable String series, @PathVariable String instance, @PathVariable String frames) throws IOException {
        ResearcherView view = access.readView();
        int[] numbers = FrameList.parse(frames, limits);
        IndexedInstance stored = lookup.found(request, view, study, series, instance).get(0);
        if (view != null && !view.pixelsAsStored(storage.file(stored.storageKey()))) {
            throw new DicomwebException(HttpStatus.NOT_FOUND, "the de-identified view offers no frames of this instance");
        }
        AcceptedTypes accepted = AcceptedTypes.of(request.getHeader("Accept"));
        String syntax = stored.transferSyntaxUid();
        String compressedType = TransferSyntaxes.frameMediaType(syntax);
        boolean compressed = TransferSyntaxes.isEncapsulated(syntax);
        String partType = OCTET_STREAM;
        byte[][] pixels;
        try {
            if (compressed && accepted.asksForSyntax(compressedType, syntax)) {
                partType = compressedType;
                pixels = Transcoding.compressedFrames(storage.file(stored.storageKey()), numbers);
            } else if (compressed && accepted.asksForSyntax(OCTET_STREAM, syntax)) {
                pixels = Transcoding.compressedFrames(storage.file(stored.storageKey()), numbers);
            } else if (accepted.acceptsMultipart(OCTET_STREAM, TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN)) {
                syntax = TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN;
                pixels = DicomObjects.frames(storage.file(stored.storageKey()), numbers);
            } else {
                throw new DicomwebException(HttpStatus.NOT_ACCEPTABLE, "frames are offered uncompressed"
                        + (compressed ? " or as stored (" + compressedType + "; transfer-syntax=" + syntax + ")" : ""));
            }
        } catch (UnsupportedOperationException e) {
            throw new DicomwebException(HttpStatus.NOT_ACCEPTABLE, e.getMessage());
        } catch (IndexOutOfBoundsException e) {
            throw new DicomwebException(HttpStatus.NOT_FOUND, e.getMessage());
        }
        lookup.audited(request, List.of(stored));
        writeParts(response, partType, syntax, List.of(pixels), request.getRequestURL().toString());
    }

    private void retrieve(HttpServletRequest request, HttpServletResponse response, String study, String series,
            String instance) throws IOException {
        ResearcherView view = access.readView();
        List<IndexedInstance> instances = lookup.found(request, view, study, series, instance);
        AcceptedTypes accepted = AcceptedTypes.of(request.getHeader("Accept"));
        for (IndexedInstance stored : instances) {
            if (!accepted.acceptsMultipart(DICOM, stored.transferSyntaxUid()) && !transcodable(accepted, stored)) {
                throw new DicomwebException(HttpStatus.NOT_ACCEPTABLE, "instances are offered in their stored transfer"
                        + " syntax (" + stored.transferSyntaxUid() + ")" + (TransferSyntaxes.isDecodable(stored.transferSyntaxUid())
                        ? " or in " + TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN : ""));
            }
        }
        lookup.audited(request, instances);
        String boundary = UUID.randomUUID().toString();
        response.setContentType("multipart/related; type=\"" + DICOM + "\"; boundary=" + boundary);
        String base = DicomwebAccess.baseUrl(request);
        PatientIdentity identity = view == null ? null : view.identity(study(instances));
        OutputStream out = response.getOutputStream();
        int written = 0;
        for (IndexedInstance stored : instances) {
            String location = view == null ? instanceUrl(base, stored) : view.pseudonymousUrl(instanceUrl(base, stored));
            if (view != null) {
                Optional<byte[]> deidentified = view.object(storage.file(stored.storageKey()), identity);
                if (deidentified.isEmpty()) {
                    continue; // withheld from the de-identified view
                }
                writePartHeader(out, boundary, DICOM + "; transfer-syntax=" + stored.transferSyntaxUid(), location);
                out.write(deidentified.get());
            } else if (accepted.acceptsMultipart(DICOM, stored.transferSyntaxUid())) {
                writePartHeader(out, boundary, DICOM + "; transfer-syntax=" + stored.transferSyntaxUid(), location);
                try (InputStream in = storage.open(stored.storageKey())) {
                    in.transferTo(out);
                }
            } else {
                byte[] transcoded = transcoded(stored, written == 0);
                writePartHeader(out, boundary, DICOM + "; transfer-syntax=" + TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN,
                        location);
                out.write(transcoded);
            }
            out.write(crlf());
            written++;
        }
        out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The instance in Explicit VR Little Endian, made in memory before its part starts: pixel data that
     * turns out not to decode (a damaged stream) answers 406 while nothing is sent yet; later in the
     * multipart the exception aborts the response, so the client cannot take it as complete.
     */
    private byte[] transcoded(IndexedInstance stored, boolean nothingSentYet) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
            Transcoding.writeExplicitLittleEndian(storage.file(stored.storageKey()), buffer);
        } catch (UnsupportedOperationException e) {
            if (nothingSentYet) {
                throw new DicomwebException(HttpStatus.NOT_ACCEPTABLE, "the pixel data of instance "
                        + stored.sopInstanceUid() + " cannot be decoded to " + TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN);
            }
            throw e;
        }
        return buffer.toByteArray();
    }

    /** Whether the client takes Explicit VR Little Endian, which PixelMed can make of this instance. */
    private static boolean transcodable(AcceptedTypes accepted, IndexedInstance stored) {
        return TransferSyntaxes.isDecodable(stored.transferSyntaxUid())
                && accepted.acceptsMultipart(DICOM, TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    /** The one study a WADO-RS request addresses (its path names it). */
    private static String study(List<IndexedInstance> instances) {
        return instances.get(0).studyUid();
    }

    private static String instanceUrl(String base, IndexedInstance stored) {
        return base + "/studies/" + stored.studyUid() + "/series/" + stored.seriesUid() + "/instances/"
                + stored.sopInstanceUid();
    }

    /** PITFALLS.md: each part must name its transfer syntax or OHIF cannot decode it. */
    private static void writeParts(HttpServletResponse response, String partType, String syntax, List<byte[]> parts,
            String location) throws IOException {
        String boundary = UUID.randomUUID().toString();
        response.setContentType("multipart/related; type=\"" + partType + "\"; boundary=" + boundary);
        OutputStream out = response.getOutputStream();
        for (byte[] part : parts) {
            writePartHeader(out, boundary, partType + "; transfer-syntax=" + syntax, location);
            out.write(part);
            out.write(crlf());
        }
        out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void writePartHeader(OutputStream out, String boundary, String contentType, String location)
            throws IOException {
        out.write(("--" + boundary + "\r\nContent-Type: " + contentType + "\r\nContent-Location: " + location
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] crlf() {
        return new byte[] {'\r', '\n'};
    }
}
