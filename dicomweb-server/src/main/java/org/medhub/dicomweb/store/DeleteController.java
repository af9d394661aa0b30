package org.medhub.dicomweb.store;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.medhub.dicomweb.index.DicomIndex;
import org.medhub.dicomweb.index.IndexedInstance;
import org.medhub.dicomweb.web.DicomwebAccess;
import org.medhub.dicomweb.web.DicomwebAccess.StudyRef;
import org.medhub.dicomweb.web.DicomwebErrors.DicomwebException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * DELETE of a study, series or instance (admins only): the index rows go first, in one
 * transaction, then the stored objects.
 */
@RestController
public class DeleteController {

    private static final Logger log = LoggerFactory.getLogger(DeleteController.class);

    private final DicomIndex index;
    private final DicomStorage storage;
    private final DicomwebAccess access;

    public DeleteController(DicomIndex index, DicomStorage storage, DicomwebAccess access) {
        this.index = index;
        this.storage = storage;
        this.access = access;
    }

    @DeleteMapping({"/dicomweb/studies/{study}", "/dicomweb/studies/{study}/series/{series}",
            "/dicomweb/studies/{study}/series/{series}/instances/{instance}"})
    public ResponseEntity<Void> delete(HttpServletRequest request, @PathVariable String study,
            @PathVariable(required = false) String series, @PathVariable(required = false) String instance) {
        access.requireDelete();
        List<IndexedInstance> deleted = index.delete(study, series, instance);
        if (deleted.isEmpty()) {
            access.audit(request, AuditEventAction.D, "delete", false, List.of(), "404 not found");
            throw new DicomwebException(HttpStatus.NOT_FOUND, "nothing stored under " + request.getRequestURI());
        }
        access.audit(request, AuditEventAction.D, "delete", true,
                List.of(new StudyRef(deleted.get(0).patientId(), deleted.get(0).issuerOfPatientId(), study)), deleted.size() + " instance(s) deleted");
        for (IndexedInstance gone : deleted) {
            try {
                storage.delete(gone.storageKey());
            } catch (IOException e) {
                // Unindexed now, so the start-up check removes the file if this did not.
                log.warn("Could not remove the stored object of deleted instance {}", gone.sopInstanceUid(), e);
            }
        }
        return ResponseEntity.noContent().build();
    }
}
