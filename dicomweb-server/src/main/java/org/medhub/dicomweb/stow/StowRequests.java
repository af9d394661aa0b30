package org.medhub.dicomweb.stow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.medhub.dicomweb.dicom.ParsedInstance;
import org.medhub.dicomweb.web.DicomJson;
import org.medhub.dicomweb.web.DicomwebAccess;
import org.medhub.dicomweb.web.DicomwebAccess.StudyRef;
import org.medhub.dicomweb.web.DicomwebErrors;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The STOW-RS request flow (PS3.18 10.5) behind both STOW routes, the plain one and the
 * de-identifying one: the role check, the body's media type, the parts stored through
 * {@link StowService}, the audit record and the PS3.18 response with its warnings.
 */
final class StowRequests {

    private final StowService service;
    private final DicomwebAccess access;

    StowRequests(StowService service, DicomwebAccess access) {
        this.service = service;
        this.access = access;
    }

    /** STOW-RS with each part changed by {@code transform} before it is stored (null: as received). */
    ResponseEntity<?> store(HttpServletRequest request, String study, PartTransform transform) throws IOException {
        access.requireStore();
        String boundary;
        try {
            boundary = MediaTypes.relatedBoundary(request.getContentType());
        } catch (MediaTypes.UnsupportedContentTypeException e) {
            access.audit(request, AuditEventAction.C, "create", false, List.of(), "415 " + e.getMessage());
            return DicomwebErrors.response(HttpStatus.UNSUPPORTED_MEDIA_TYPE, e.getMessage());
        }
        if (boundary == null) {
            access.audit(request, AuditEventAction.C, "create", false, List.of(), "400 boundary missing");
            return DicomwebErrors.response(HttpStatus.BAD_REQUEST, "multipart/related without a boundary parameter");
        }
        List<StowService.Outcome> outcomes = new ArrayList<>();
        String malformed = null;
        try {
            service.store(request.getInputStream(), request.getContentLengthLong(), boundary, study, outcomes, transform);
        } catch (MalformedMultipartException e) {
            malformed = e.getMessage();
        } catch (StowLimitException e) {
            access.audit(request, AuditEventAction.C, "create", false, List.of(), "413 " + e.getMessage());
            return DicomwebErrors.response(HttpStatus.PAYLOAD_TOO_LARGE, e.getMessage());
        }
        List<StudyRef> studies = studiesOf(outcomes);
        if (outcomes.isEmpty()) {
            String message = malformed != null ? "malformed multipart/related body: " + malformed : "the request holds no part";
            access.audit(request, AuditEventAction.C, "create", false, studies, "400 " + message);
            return DicomwebErrors.response(HttpStatus.BAD_REQUEST, message);
        }
        long failed = outcomes.stream().filter(o -> !o.succeeded()).count();
        List<StowService.Outcome> warned = outcomes.stream().filter(o -> o.warningReason() != null).toList();
        // PS3.18 10.5.3: 202 when some instances failed or were stored with warnings.
        HttpStatus status = failed == 0 && warned.isEmpty() && malformed == null ? HttpStatus.OK
                : failed == outcomes.size() ? HttpStatus.CONFLICT : HttpStatus.ACCEPTED;
        access.audit(request, AuditEventAction.C, "create", failed < outcomes.size(), studies,
                status.value() + ": " + (outcomes.size() - failed) + " stored, " + failed + " failed"
                        + (malformed != null ? ", then malformed body: " + malformed : ""));
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status)
                .contentType(MediaType.parseMediaType(DicomJson.MEDIA_TYPE));
        if (malformed != null) {
            response.header("Warning", warning("malformed multipart body after the parts reported: " + malformed));
        }
        for (StowService.Outcome outcome : warned) {
            response.header("Warning", warning(outcome.instance().sopInstanceUid() + ": " + outcome.message()));
        }
        return response.body(responseBody(DicomwebAccess.baseUrl(request), study, outcomes));
    }

    /** An RFC 7234 warning (code 299, as PS3.18 8.6.2 has it) whose text is the quoted {@code text}. */
    private static String warning(String text) {
        return "299 medhub \"" + text.replace('"', '\'') + "\"";
    }

    private static List<StudyRef> studiesOf(List<StowService.Outcome> outcomes) {
        Map<String, StudyRef> studies = new LinkedHashMap<>();
        for (StowService.Outcome outcome : outcomes) {
            ParsedInstance instance = outcome.instance();
            if (instance != null && outcome.succeeded()) {
                studies.putIfAbsent(instance.studyUid(), new StudyRef(instance.patientId(), instance.issuerOfPatientId(), instance.studyUid()));
            }
        }
        return List.copyOf(studies.values());
    }

    /** PS3.18 Table 10.5.3-2: RetrieveURL, FailedSOPSequence, ReferencedSOPSequence. */
    static ObjectNode responseBody(String base, String study, List<StowService.Outcome> outcomes) {
        ObjectNode body = DicomJson.dataset();
        List<String> studies = outcomes.stream()
                .filter(StowService.Outcome::succeeded)
                .map(o -> o.instance().studyUid())
                .distinct()
                .toList();
        String retrieveStudy = study != null ? study : studies.size() == 1 ? studies.get(0) : null;
        if (retrieveStudy != null) {
            DicomJson.string(body, "00081190", "UR", base + "/studies/" + retrieveStudy);
        }
        ArrayNode failed = null;
        ArrayNode referenced = null;
        for (StowService.Outcome outcome : outcomes) {
            ParsedInstance instance = outcome.instance();
            if (outcome.succeeded()) {
                if (referenced == null) {
                    referenced = DicomJson.sequence(body, "00081199");
                }
                ObjectNode item = referenced.addObject();
                DicomJson.string(item, "00081150", "UI", instance.sopClassUid());
                DicomJson.string(item, "00081155", "UI", instance.sopInstanceUid());
                DicomJson.string(item, "00081190", "UR", base + "/studies/" + instance.studyUid() + "/series/"
                        + instance.seriesUid() + "/instances/" + instance.sopInstanceUid());
                if (outcome.warningReason() != null) {
                    DicomJson.number(item, "00081196", "US", outcome.warningReason());
                }
            } else {
                if (failed == null) {
                    failed = DicomJson.sequence(body, "00081198");
                }
                ObjectNode item = failed.addObject();
                if (instance != null) {
                    DicomJson.string(item, "00081150", "UI", instance.sopClassUid());
                    DicomJson.string(item, "00081155", "UI", instance.sopInstanceUid());
                }
                DicomJson.number(item, "00081197", "US", outcome.failureReason());
                // ErrorComment (0000,0902) says why in words; PS3.18 allows it in the failed item.
                DicomJson.string(item, "00000902", "LO", outcome.message());
            }
        }
        return body;
    }
}
