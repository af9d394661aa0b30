package org.medhub.ml.api;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.medhub.ml.MlProperties;
import org.medhub.ml.cohort.CohortPulls;
import org.medhub.ml.cohort.CohortPulls.PullStatus;
import org.medhub.ml.cohort.CohortSpec;
import org.medhub.ml.cohort.CohortSpecs;
import org.medhub.ml.registry.NotFoundException;
import org.medhub.platform.audit.AuditActor;
import org.medhub.platform.audit.AuditTrail;
import org.medhub.platform.audit.RestAuditEvents;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Datasets built from a FHIR cohort: {@code POST /ml/api/datasets/fhir} with a cohort spec (YAML, as
 * in {@code config/ml/}) starts a pull and answers 202 at once; {@code GET .../{id}} gives its phase and
 * percent, then the stored dataset's id, rows and positives; {@code POST .../{id}/cancel} stops it.
 * The pull reads {@code /fhir} with the ML engine's service identity and is audited as done on behalf
 * of the caller, who gets the de-identified feature table only; counts of small cells are withheld from
 * non-admins ({@link SmallCells}). The spec is read with {@code medhub.ml.max-cohort-spec-size} enforced
 * as it arrives, and at most {@code medhub.ml.max-queued-pulls} pulls wait (503 with Retry-After beyond).
 */
@RestController
@Tag(name = "Datasets", description = "CSV datasets with their spec and column report")
@RequestMapping("/ml/api/datasets/fhir")
class FhirDatasetController {

    private final CohortPulls pulls;
    private final AuditTrail audit;
    private final MlProperties properties;
    private final SmallCells cells;

    FhirDatasetController(CohortPulls pulls, AuditTrail audit, MlProperties properties, SmallCells cells) {
        this.pulls = pulls;
        this.audit = audit;
        this.properties = properties;
        this.cells = cells;
    }

    @PostMapping(consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/plain"})
    @RequestBody(description = "the cohort spec (YAML, as in config/ml/), at most medhub.ml.max-cohort-spec-size",
            required = true, content = @Content(mediaType = "application/yaml", schema = @Schema(type = "string")))
    ResponseEntity<PullStatus> start(HttpServletRequest http) {
        String user = MlAccess.TRAIN.require();
        CohortSpec spec = CohortSpecs.parse(BoundedBody.read(http, properties.maxCohortSpecSize(), "the cohort spec",
                "medhub.ml.max-cohort-spec-size"));
        AuditEvent event = RestAuditEvents.forRequest(http, AuditActor.current(), "search-type", AuditEventAction.R,
                AuditEventOutcome._0);
        RestAuditEvents.addRequestEntity(event, http);
        event.addEntity().setName("FHIR cohort " + spec.name())
                .setDescription("read from /fhir with the ML engine's service identity on behalf of " + user
                        + "; the caller receives the de-identified feature table only");
        PullStatus status = pulls.start(spec, user, finished -> audit.record(finished(event, finished)));
        return ResponseEntity.accepted().location(URI.create("/ml/api/datasets/fhir/" + status.id()))
                .body(cells.pull(status));
    }

    @GetMapping("/{id}")
    PullStatus status(@PathVariable UUID id) {
        MlAccess.TRAIN.require();
        return cells.pull(found(pulls.status(id), id));
    }

    @PostMapping("/{id}/cancel")
    ResponseEntity<PullStatus> cancel(@PathVariable UUID id) {
        MlAccess.TRAIN.require();
        return ResponseEntity.accepted().body(cells.pull(found(pulls.cancel(id), id)));
    }

    /** No service identity configured for the ML engine: the server works, cohorts cannot be pulled. */
    @ExceptionHandler
    ProblemDetail unavailable(CohortPulls.SourceUnavailableException e) {
        return MlProblems.problem(HttpStatus.SERVICE_UNAVAILABLE, "fhir-unavailable", "FHIR cohorts unavailable",
                e.getMessage());
    }

    private static AuditEvent finished(AuditEvent event, PullStatus status) {
        boolean ok = status.status() == CohortPulls.Status.SUCCEEDED;
        event.setOutcome(ok ? AuditEventOutcome._0 : AuditEventOutcome._4);
        event.setOutcomeDesc(status.status() + (ok ? ": " + status.patientsRead() + " patients read, "
                + status.rows() + " rows stored as dataset " + status.datasetId() : "")
                + (status.error() == null ? "" : ": " + status.error()));
        return event;
    }

    private static PullStatus found(PullStatus status, UUID id) {
        if (status == null) {
            throw new NotFoundException("no FHIR cohort pull " + id);
        }
        return status;
    }
}
