package org.medhub.dicomweb.stow;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
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
 * Stores the parts of a STOW-RS request one by one (ARCHITECTURE.md flow 1): each is staged to a
 * temporary file, parsed and validated on its own, committed to the store and then indexed. A part
 * that fails leaves nothing behind and does not stop the others.
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

    public StowService(DicomStorage storage, DicomIndex index, DuplicatePolicy duplicatePolicy) {
        this.storage = storage;
        this.index = index;
        this.duplicatePolicy = duplicatePolicy;
    }

    /**
     * Reads every part of the body and stores it.
     *
     * @param studyUid the study of the request URL, or null for {@code POST /studies}
     * @throws MalformedMultipartException when the body is not multipart; parts stored before the
     *     error stay stored and are in {@code outcomes}
     */
    void store(InputStream body, String boundary, String studyUid, List<Outcome> outcomes) throws IOException {
        store(body, boundary, studyUid, outcomes, null);
    }

    /** As above, each part first changed by {@code transform} (the de-identifying route), if not null. */
    void store(InputStream body, String boundary, String studyUid, List<Outcome> outcomes, PartTransform transform)
            throws IOException {
        MultipartReader reader = new MultipartReader(body, boundary);
        MultipartReader.Part part;
        while ((part = reader.next()) != null) {
            outcomes.add(storePart(part, studyUid, transform));
        }
    }

    private Outcome storePart(MultipartReader.Part part, String studyUid, PartTransform transform) throws IOException {
        String contentType = part.contentType();
        if (contentType != null && !MediaTypes.isDicom(contentType)) {
            part.body().transferTo(OutputStreamSink.INSTANCE);
            return Outcome.failed(null, CANNOT_UNDERSTAND, "part type " + contentType + " is not application/dicom");
        }
        InputStream content = part.body();
        if (transform != null) {
            try {
                content = transform.apply(content);
            } catch (PartTransform.RejectedPartException e) {
                part.body().transferTo(OutputStreamSink.INSTANCE);
                return Outcome.failed(null, e.reason(), e.getMessage());
            }
        }
        try (Staged staged = storage.stage(content)) {
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

    /** Discards what is written to it. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }
}
