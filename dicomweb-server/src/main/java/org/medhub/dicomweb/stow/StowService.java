package org.medhub.dicomweb.stow;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.medhub.dicomweb.DicomwebLimits;
import org.medhub.dicomweb.DicomwebProperties.DuplicatePolicy;
import org.medhub.dicomweb.dicom.DicomFormatException;
import org.medhub.dicomweb.dicom.DicomObjects;
import org.medhub.dicomweb.dicom.ParsedInstance;
import org.medhub.dicomweb.dicom.TranscodedCopies;
import org.medhub.dicomweb.dicom.UnsupportedSopClassException;
import org.medhub.dicomweb.index.DicomIndex;
import org.medhub.dicomweb.index.IndexedInstance;
import org.medhub.dicomweb.store.DicomStorage;
import org.medhub.dicomweb.store.DicomStorage.Staged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * Stores the parts of a STOW-RS request (ARCHITECTURE.md flow 1): each is staged to a temporary
 * file, parsed and validated on its own; once the whole body is in and within the limits, each is
 * committed to the store and then indexed. A part that fails leaves nothing behind and does not stop
 * the others; a request over a limit leaves nothing at all.
 */
public final class StowService {

    /** PS3.18 Table 10.5.3-1 / PS3.4 C.4.2.1.4 failure reasons. */
    static final int PROCESSING_FAILURE = 0x0110;
    static final int DUPLICATE_SOP_INSTANCE = 0x0111;
    static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;
    static final int STUDY_UID_MISMATCH = 0xA900;
    static final int CANNOT_UNDERSTAND = 0xC000;
    /**
     * PS3.4 Table B.2-1 / PS3.18 WarningReason: Coercion of Data Elements. A transcoded copy of a
     * stored instance is reported with it: what the server holds for the instance is not, byte for
     * byte, what was sent (kept: the stored encoding of Pixel Data; replaced: the instance's stored
     * object changed under its UID). Not B007 (the data set matches its SOP class) nor B006
     * (no element was discarded).
     */
    static final int COERCION_OF_DATA_ELEMENTS = 0xB000;

    private static final Logger log = LoggerFactory.getLogger(StowService.class);

    private final DicomStorage storage;
    private final DicomIndex index;
    private final DuplicatePolicy duplicatePolicy;
    private final StowProperties.TranscodedDuplicate transcodedDuplicate;
    private final DicomwebLimits limits;

    public StowService(DicomStorage storage, DicomIndex index, DuplicatePolicy duplicatePolicy,
            StowProperties.TranscodedDuplicate transcodedDuplicate, DicomwebLimits limits) {
        this.storage = storage;
        this.index = index;
        this.duplicatePolicy = duplicatePolicy;
        this.transcodedDuplicate = transcodedDuplicate;
        this.limits = limits;
    }

    /**
     * Reads every part of the body and stores it.
     *
     * @param studyUid the study of the request URL, or null for {@code POST /studies}
     * @param contentLength the body's declared length, or -1 when not declared (chunked)
     * @throws MalformedMultipartException when the body is not multipart; parts read before the
     *     error are stored and are in {@code outcomes}
     * @throws StowLimitException when the request is over a limit: then nothing of it is stored
     */
    void store(InputStream body, long contentLength, String boundary, String studyUid, List<Outcome> outcomes)
            throws IOException {
        store(body, contentLength, boundary, studyUid, outcomes, null);
    }

    /**
     * As above, each part first changed by {@code transform} (the de-identifying route), if not null.
     * Phase one stages every part (within the limits) before any is parsed or committed, so that a
     * request refused for a limit (parts, sizes, free disk) leaves neither an object nor a temporary
     * file behind and costs no parsing; phase two parses, validates, stores and indexes each part on
     * its own.
     */
    void store(InputStream body, long contentLength, String boundary, String studyUid, List<Outcome> outcomes,
            PartTransform transform) throws IOException {
        if (contentLength > limits.maxRequestSize().toBytes()) {
            throw StowLimitException.requestSize(limits);
        }
        BoundedInputStream request = new BoundedInputStream(body, limits.maxRequestSize().toBytes(),
                () -> StowLimitException.requestSize(limits));
        MultipartReader reader = new MultipartReader(request, boundary);
        List<Received> received = new ArrayList<>();
        try {
            MultipartReader.Part part;
            while ((part = reader.next()) != null) {
                if (received.size() == limits.maxParts()) {
                    throw StowLimitException.parts(limits);
                }
                long expected = contentLength < 0 ? limits.maxPartSize().toBytes()
                        : Math.min(limits.maxPartSize().toBytes(), contentLength - request.count());
                requireFreeDisk(expected);
                received.add(receive(part, transform));
                requireFreeDisk(0);
            }
        } catch (MalformedMultipartException e) {
            commitAll(received, studyUid, outcomes);
            throw e;
        } catch (IOException | RuntimeException e) {
            discardAll(received);
            throw e;
        }
        commitAll(received, studyUid, outcomes);
    }

    /** Refuses what the store could hold only by eating into min-free-disk (the index and other writers need room too). */
    private void requireFreeDisk(long needed) throws IOException {
        if (storage.usableSpace() - needed < limits.minFreeDisk().toBytes()) {
            throw StowLimitException.freeDisk(limits);
        }
    }

    /** A part staged, or failed already; parsed and committed only once the whole request is in. */
    private record Received(Outcome failed, Staged staged) {}

    /** Reads one part to a staged file (through the transform, if any); parsing waits for phase two. */
    private Received receive(MultipartReader.Part part, PartTransform transform) throws IOException {
        String contentType = part.contentType();
        if (contentType != null && !MediaTypes.isDicom(contentType)) {
            part.body().transferTo(OutputStream.nullOutputStream());
            return new Received(Outcome.failed(null, CANNOT_UNDERSTAND, "part type " + contentType + " is not application/dicom"),
                    null);
        }
        InputStream bounded = new BoundedInputStream(part.body(), limits.maxPartSize().toBytes(),
                () -> StowLimitException.partSize(limits));
        InputStream content = bounded;
        if (transform != null) {
            try {
                content = transform.apply(content);
            } catch (PartTransform.RejectedPartException e) {
                // Drained through the bounds: a transform that failed because the part or the request
                // went over a limit (a parser wraps what its source throws) meets that limit again here,
                // and the request is refused whole rather than this part alone.
                bounded.transferTo(OutputStream.nullOutputStream());
                return new Received(Outcome.failed(null, e.reason(), e.getMessage()), null);
            }
        }
        return new Received(null, storage.stage(content));
    }

    private void commitAll(List<Received> received, String studyUid, List<Outcome> outcomes) throws IOException {
        try {
            for (Received part : received) {
                if (part.failed() != null) {
                    outcomes.add(part.failed());
                    continue;
                }
                try (Staged staged = part.staged()) {
                    outcomes.add(parseAndCommit(staged, studyUid));
                }
            }
        } finally {
            discardAll(received);
        }
    }

    /** Phase two for one staged part: parsed and validated on its own, then stored and indexed. */
    private Outcome parseAndCommit(Staged staged, String studyUid) throws IOException {
        ParsedInstance instance;
        try {
            instance = DicomObjects.parse(staged.file());
        } catch (DicomFormatException e) {
            return Outcome.failed(null, CANNOT_UNDERSTAND, e.getMessage());
        } catch (UnsupportedSopClassException e) {
            return Outcome.failed(null, SOP_CLASS_NOT_SUPPORTED, e.getMessage());
        }
        if (studyUid != null && !studyUid.equals(instance.studyUid())) {
            return Outcome.failed(instance, STUDY_UID_MISMATCH,
                    "StudyInstanceUID " + instance.studyUid() + " differs from the study in the URL");
        }
        return commit(instance, staged);
    }

    private static void discardAll(List<Received> received) throws IOException {
        for (Received part : received) {
            if (part.staged() != null) {
                part.staged().close();
            }
        }
    }

    private Outcome commit(ParsedInstance instance, Staged staged) throws IOException {
        Optional<IndexedInstance> existing = index.find(instance.sopInstanceUid());
        if (existing.isEmpty()) {
            return commitAndIndex(instance, staged);
        }
        if (existing.get().sha256().equals(staged.sha256())) {
            return Outcome.stored(instance); // the identical object again: idempotent
        }
        TranscodedCopies.Verdict verdict = TranscodedCopies.compare(storage.file(existing.get().storageKey()), staged.file());
        if (verdict == TranscodedCopies.Verdict.SAME_DATA_SET) {
            String stored = existing.get().transferSyntaxUid();
            if (transcodedDuplicate == StowProperties.TranscodedDuplicate.KEEP) {
                return Outcome.warned(instance, COERCION_OF_DATA_ELEMENTS, "the instance is stored already in transfer"
                        + " syntax " + stored + " with the same data set; the stored encoding is kept");
            }
            Outcome replaced = commitAndIndex(instance, staged);
            return replaced.succeeded() ? Outcome.warned(instance, COERCION_OF_DATA_ELEMENTS, "the instance stored in"
                    + " transfer syntax " + stored + " with the same data set is replaced by this encoding") : replaced;
        }
        if (duplicatePolicy == DuplicatePolicy.REJECT) {
            return Outcome.failed(instance, DUPLICATE_SOP_INSTANCE, verdict == TranscodedCopies.Verdict.PIXELS_NOT_COMPARABLE
                    ? "an object with this SOP Instance UID is stored already; its attributes agree, but the pixel data"
                            + " cannot be decoded here (transfer syntax " + existing.get().transferSyntaxUid() + " stored, "
                            + instance.transferSyntaxUid() + " received) to show it is the same data set"
                    : "a different object with this SOP Instance UID is stored already");
        }
        return commitAndIndex(instance, staged);
    }

    private Outcome commitAndIndex(ParsedInstance instance, Staged staged) throws IOException {
        String key = storage.commit(staged);
        Optional<String> replaced;
        try {
            replaced = index.put(instance, key, staged.size(), staged.sha256());
        } catch (DataAccessException e) {
            log.warn("Indexing SOP Instance {} failed", instance.sopInstanceUid(), e);
            if (index.find(instance.sopInstanceUid()).map(i -> !i.storageKey().equals(key)).orElse(true)) {
                storage.delete(key);
            }
            return Outcome.failed(instance, PROCESSING_FAILURE, "the index could not record the instance");
        }
        if (replaced.isPresent()) {
            storage.delete(replaced.get());
        }
        return Outcome.stored(instance);
    }

    /**
     * What became of one part.
     *
     * @param instance what was parsed from it, or null if it could not be
     * @param failureReason the PS3.18 failure reason, or null when stored
     * @param warningReason the PS3.18 WarningReason of an instance stored with a warning, or null
     * @param message why it failed or was warned about, in words
     */
    record Outcome(ParsedInstance instance, Integer failureReason, Integer warningReason, String message) {

        static Outcome stored(ParsedInstance instance) {
            return new Outcome(instance, null, null, null);
        }

        static Outcome warned(ParsedInstance instance, int reason, String message) {
            return new Outcome(instance, null, reason, message);
        }

        static Outcome failed(ParsedInstance instance, int reason, String message) {
            return new Outcome(instance, reason, null, message);
        }

        boolean succeeded() {
            return failureReason == null;
        }
    }
}
