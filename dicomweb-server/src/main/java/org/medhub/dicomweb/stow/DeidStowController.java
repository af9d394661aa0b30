package org.medhub.dicomweb.stow;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Optional;
import org.medhub.dicomweb.deid.DeidProfile;
import org.medhub.dicomweb.deid.DeidProfiles;
import org.medhub.dicomweb.deid.Deidentifier;
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

    private final StowRequests requests;
    private final DicomwebAccess access;
    private final DeidProfiles profiles;
    private final Deidentifier deidentifier;

    DeidStowController(StowRequests requests, DicomwebAccess access, DeidProfiles profiles, Deidentifier deidentifier) {
        this.requests = requests;
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
        return requests.store(request, null, new DeidentifiedParts(deidentifier, found.get()));
    }
}
