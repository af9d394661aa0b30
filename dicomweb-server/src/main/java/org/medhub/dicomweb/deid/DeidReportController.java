package org.medhub.dicomweb.deid;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.medhub.dicomweb.web.DicomwebAccess;
import org.medhub.dicomweb.web.DicomwebErrors;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /dicomweb/deid/profiles/{profile}/report}: each attribute and its action under the profile. */
@RestController
public class DeidReportController {

    private final DeidProfiles profiles;
    private final Deidentifier deidentifier;
    private final DicomwebAccess access;

    public DeidReportController(DeidProfiles profiles, Deidentifier deidentifier, DicomwebAccess access) {
        this.profiles = profiles;
        this.deidentifier = deidentifier;
        this.access = access;
    }

    @GetMapping(value = "/dicomweb/deid/profiles/{profile}/report", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ObjectNode> report(@PathVariable String profile) {
        access.requireDeidReport();
        return profiles.find(profile)
                .map(p -> ResponseEntity.ok(DeidReport.of(p, deidentifier.table(), profiles.pixelRules())))
                .orElseGet(() -> DicomwebErrors.response(HttpStatus.NOT_FOUND, "no de-identification profile named " + profile));
    }
}
