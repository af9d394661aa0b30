package org.medhub.dicomweb.changefeed;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.medhub.dicomweb.web.DicomwebAccess;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /dicomweb/changefeed}: what was stored, replaced and deleted, in order, for clients
 * that mirror or follow the archive (as Orthanc's {@code /changes} and Azure DICOM's change feed).
 * The feed is not part of PS3.18, so its errors are RFC 9457 problem+json.
 */
@RestController
public class ChangeFeedController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final ChangeFeed feed;
    private final DicomwebAccess access;

    public ChangeFeedController(ChangeFeed feed, DicomwebAccess access) {
        this.feed = feed;
        this.access = access;
    }

    /**
     * Entries with a sequence greater than {@code offset}, oldest first; a client pages by passing
     * the last sequence it saw. {@code startTime}/{@code endTime} (ISO 8601) narrow by time.
     */
    @GetMapping(path = "/dicomweb/changefeed", produces = "application/json")
    public List<ChangeFeedEntry> page(HttpServletRequest request,
            @RequestParam(defaultValue = "0") String offset,
            @RequestParam(defaultValue = "" + DEFAULT_LIMIT) String limit,
            @RequestParam(required = false) String startTime,
            @RequestParam(required = false) String endTime) {
        access.requireRead();
        long after = number("offset", offset, 0, Long.MAX_VALUE);
        int count = (int) number("limit", limit, 1, MAX_LIMIT);
        Instant start = time("startTime", startTime);
        Instant end = time("endTime", endTime);
        if (start != null && end != null && !start.isBefore(end)) {
            throw new BadFeedRequest("startTime must be before endTime");
        }
        List<ChangeFeedEntry> entries = feed.page(after, start, end, count);
        audit(request, entries);
        return entries;
    }

    /** The newest entry, or {@code {"Sequence": 0}} while the feed is empty. */
    @GetMapping(path = "/dicomweb/changefeed/latest", produces = "application/json")
    public Object latest(HttpServletRequest request) {
        access.requireRead();
        List<ChangeFeedEntry> latest = feed.latest().stream().toList();
        audit(request, latest);
        return latest.isEmpty() ? Map.of("Sequence", 0) : latest.get(0);
    }

    @ExceptionHandler(BadFeedRequest.class)
    ResponseEntity<ProblemDetail> badRequest(BadFeedRequest e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Bad change feed request");
        return ResponseEntity.badRequest().body(problem);
    }

    /** Feed entries name studies but no patients: the audit record lists the studies read. */
    private void audit(HttpServletRequest request, List<ChangeFeedEntry> entries) {
        List<DicomwebAccess.StudyRef> studies = entries.stream().map(ChangeFeedEntry::studyUid).distinct()
                .map(study -> new DicomwebAccess.StudyRef(null, null, study)).toList();
        access.audit(request, AuditEventAction.R, "changefeed", true, studies, entries.size() + " entries");
    }

    private static long number(String name, String value, long min, long max) {
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadFeedRequest(name + " must be a whole number from " + min + " to " + max + ", got '" + value + "'");
    }

    private static Instant time(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadFeedRequest(name + " must be an ISO 8601 date-time with offset (e.g. 2026-01-31T12:00:00Z)");
        }
    }

    private static final class BadFeedRequest extends RuntimeException {
        BadFeedRequest(String message) {
            super(message);
        }
    }
}
