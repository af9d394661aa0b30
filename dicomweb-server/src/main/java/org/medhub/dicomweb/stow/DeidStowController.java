package org.medhub.dicomweb.stow;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.medhub.dicomweb.deid.DeidProfile;
import org.medhub.dicomweb.deid.DeidProfiles;
import org.medhub.dicomweb.deid.Deidentifier;
import org.medhub.dicomweb.dicom.DeidentifiedObjects;
import org.medhub.dicomweb.dicom.DicomFormatException;
import org.medhub.dicomweb.web.DicomwebAccess;
import org.medhub.dicomweb.web.DicomwebErrors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * De-identification on ingest: {@code POST /dicomweb/deid/{profile}/studies} is STOW-RS whose parts
 * are de-identified in memory, straight from the request, before anything is staged, stored or
 * indexed, so a research-only store never holds identity. Objects the profile withholds (burned-in
 * text no rule cleans) fail with 0x0110 and are not stored.
 */
@RestController
public class DeidStowController {

    private final StowController stow;
    private final DicomwebAccess access;
    private final DeidProfiles profiles;
    private final Deidentifier deidentifier;

    public DeidStowController(StowController stow, DicomwebAccess access, DeidProfiles profiles, Deidentifier deidentifier) {
        this.stow = stow;
        this.access = access;
        this.profiles = profiles;
        this.deidentifier = deidentifier;
    }

    @PostMapping("/dicomweb/deid/{profile}/studies")
    public ResponseEntity<?> store(HttpServletRequest request, @PathVariable String profile) throws IOException {
        access.requireStore();
        Optional<DeidProfile> found = profiles.find(profile);
        if (found.isEmpty()) {
            return DicomwebErrors.response(HttpStatus.NOT_FOUND, "no de-identification profile named " + profile);
        }
        return stow.store(request, null, part -> deidentified(part, found.get()));
    }

    private InputStream deidentified(InputStream part, DeidProfile profile) throws PartTransform.RejectedPartException {
        AtomicReference<Deidentifier.Outcome> outcome = new AtomicReference<>();
        Optional<byte[]> object;
        try {
            object = DeidentifiedObjects.transform(part, dataset -> {
                outcome.set(deidentifier.deidentify(dataset, profile));
                return outcome.get().released();
            });
        } catch (DicomFormatException e) {
            throw new PartTransform.RejectedPartException(StowService.CANNOT_UNDERSTAND, e.getMessage());
        }
        if (object.isEmpty()) {
            throw new PartTransform.RejectedPartException(StowService.PROCESSING_FAILURE,
                    "withheld by profile " + profile.name() + ": " + outcome.get().withheldBecause());
        }
        return new ByteArrayInputStream(object.get());
    }
}
