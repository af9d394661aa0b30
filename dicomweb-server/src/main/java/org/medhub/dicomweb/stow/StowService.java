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

    private static final Logger log = LoggerFactory.getLogger(StowService.class);

    private final DicomStorage storage;
    private final DicomIndex index;
    private final DuplicatePolicy duplicatePolicy;
    private final DicomwebLimits limits;

    public StowService(DicomStorage storage, DicomIndex index, DuplicatePolicy duplicatePolicy, DicomwebLimits limits) {
        this.storage = storage;
        this.index = index;
        this.duplicatePolicy = duplicatePolicy;
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
     * Every part is staged and checked before any is committed, so that a request refused for a limit
     * (parts, sizes, free disk) leaves neither an object nor a temporary file behind.
     */
    void store(InputStream body, long contentLength, String boundary, String studyUid, List<Outcome> outcomes,
            PartTransform transform) throws IOException {
        if (contentLength > limits.maxRequestSize().toBytes()) {
            throw StowLimitException.requestSize(limits);
        }
        BoundedInputStream request = new BoundedInputStream(body, limits.maxRequestSize().toBytes(),
                () -> StowLimitException.requestSize(limits));
        MultipartReader reader = new MultipartReader(request, boundary);
        List<Checked> checked = new ArrayList<>();
        try {
            MultipartReader.Part part;
            while ((part = reader.next()) != null) {
                if (checked.size() == limits.maxParts()) {
                    throw StowLimitException.parts(limits);
                }
                long expected = contentLength < 0 ? limits.maxPartSize().toBytes()
                        : Math.min(limits.maxPartSize().toBytes(), contentLength - request.count());
                requireFreeDisk(expected);
                checked.add(check(part, studyUid, transform));
                requireFreeDisk(0);
            }
        } catch (MalformedMultipartException e) {
            commitAll(checked, outcomes);
            throw e;
        } catch (IOException | RuntimeException e) {
            discardAll(checked);
            throw e;
        }
        commitAll(checked, outcomes);
    }

    /** PS3.18 leaves room to refuse a request the store cannot hold; this one keeps min-free-disk free. */
    private void requireFreeDisk(long needed) throws IOException {
        if (storage.usableSpace() - needed < limits.minFreeDisk().toBytes()) {
            throw StowLimitException.freeDisk(limits);
        }
    }

    /** A part staged and parsed, or failed already; committed only once the whole request is in. */
    private record Checked(Outcome failed, ParsedInstance instance, Staged staged) {}

    private Checked check(MultipartReader.Part part, String studyUid, PartTransform transform) throws IOException {
        String contentType = part.contentType();
        if (contentType != null && !MediaTypes.isDicom(contentType)) {
            part.body().transferTo(OutputStream.nullOutputStream());
            return new Checked(Outcome.failed(null, CANNOT_UNDERSTAND, "part type " + contentType + " is not application/dicom"),
                    null, null);
        }
        InputStream content = new BoundedInputStream(part.body(), limits.maxPartSize().toBytes(),
                () -> StowLimitException.partSize(limits));
        if (transform != null) {
            try {
                content = transform.apply(content);
            } catch (PartTransform.RejectedPartException e) {
                part.body().transferTo(OutputStream.nullOutputStream());
                return new Checked(Outcome.failed(null, e.reason(), e.getMessage()), null, null);
            }
        }
        Staged staged = storage.stage(content);
        try {
            ParsedInstance instance = DicomObjects.parse(staged.file());
            if (studyUid != null && !studyUid.equals(instance.studyUid())) {
                staged.close();
                return new Checked(Outcome.failed(instance, STUDY_UID_MISMATCH,
                        "StudyInstanceUID " + instance.studyUid() + " differs from the study in the URL"), null, null);
            }
            return new Checked(null, instance, staged);
        } catch (DicomFormatException e) {
            staged.close();
            return new Checked(Outcome.failed(null, CANNOT_UNDERSTAND, e.getMessage()), null, null);
        } catch (UnsupportedSopClassException e) {
            staged.close();
            return new Checked(Outcome.failed(null, SOP_CLASS_NOT_SUPPORTED, e.getMessage()), null, null);
        } catch (RuntimeException e) {
            staged.close();
            throw e;
        }
    }

    private void commitAll(List<Checked> checked, List<Outcome> outcomes) throws IOException {
        try {
            for (int i = 0; i < checked.size(); i++) {
                Checked part = checked.get(i);
                if (part.failed() != null) {
                    outcomes.add(part.failed());
                    continue;
                }
                try (Staged staged = part.staged()) {
                    outcomes.add(commit(part.instance(), staged));
                }
            }
        } finally {
            discardAll(checked);
        }
    }

    private static void discardAll(List<Checked> checked) throws IOException {
        for (Checked part : checked) {
            if (part.staged() != null) {
                part.staged().close();
            }
        }
    }

    private Outcome commit(ParsedInstance instance, Staged staged) throws IOException {
        Optional<IndexedInstance> existing = index.find(instance.sopInstanceUid());
        if (existing.isPresent() && existing.get().sha256().equals(staged.sha256())) {
            return Outcome.stored(instance); // the identical object again: idempotent
        }
        if (existing.isPresent() && duplicatePolicy == DuplicatePolicy.REJECT) {
            return Outcome.failed(instance, DUPLICATE_SOP_INSTANCE,
                    "a different object with this SOP Instance UID is stored already");
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
     */
    record Outcome(ParsedInstance instance, Integer failureReason, String message) {

        static Outcome stored(ParsedInstance instance) {
            return new Outcome(instance, null, null);
        }

        static Outcome failed(ParsedInstance instance, int reason, String message) {
            return new Outcome(instance, reason, message);
        }

        boolean succeeded() {
            return failureReason == null;
        }
    }
}
