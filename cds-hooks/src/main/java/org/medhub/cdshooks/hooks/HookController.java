package org.medhub.cdshooks.hooks;

import com.nimbusds.jwt.JWTClaimsSet;
import jakarta.servlet.http.HttpServletRequest;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.medhub.cdshooks.cards.Assessment;
import org.medhub.cdshooks.cards.Cards;
import org.medhub.cdshooks.discovery.CdsService;
import org.medhub.cdshooks.discovery.CdsServices;
import org.medhub.cdshooks.prefetch.PatientData;
import org.medhub.cdshooks.prefetch.PatientData.FhirAccess;
import org.medhub.cdshooks.record.RiskAssessments;
import org.medhub.cdshooks.security.ClientTokens;
import org.medhub.ml.cohort.CohortFeatures.PatientRecord;
import org.medhub.ml.feedback.CardFeedback;
import org.medhub.ml.feedback.FeedbackStore;
import org.medhub.ml.registry.NotFoundException;
import org.medhub.platform.audit.AuditActor;
import org.medhub.platform.audit.AuditTrail;
import org.medhub.platform.audit.RestAuditEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * CDS Hooks 2.0 endpoints: discovery (public), service calls and feedback (each with the client's
 * JWT, whose {@code aud} must be the service endpoint). A call reads the patient's record (prefetch
 * or the client's FHIR server), predicts and explains, answers one card, remembers the card for
 * feedback, records a RiskAssessment in MedHub's FHIR server and leaves an audit record.
 */
@RestController
class HookController {

    private static final Logger log = LoggerFactory.getLogger(HookController.class);
    /** FHIR id syntax (R4 {@code id} datatype). */
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private final CdsServices services;
    private final ClientTokens tokens;
    private final PatientData data;
    private final RiskHook hook;
    private final Cards cards;
    private final RiskAssessments riskAssessments;
    private final FeedbackStore feedback;
    private final AuditTrail audit;

    HookController(CdsServices services, ClientTokens tokens, PatientData data, RiskHook hook, Cards cards,
            RiskAssessments riskAssessments, FeedbackStore feedback, AuditTrail audit) {
        this.services = services;
        this.tokens = tokens;
        this.data = data;
        this.hook = hook;
        this.cards = cards;
        this.riskAssessments = riskAssessments;
        this.feedback = feedback;
        this.audit = audit;
    }

    @GetMapping("/cds-services")
    Map<String, Object> discovery() {
        return Map.of("services", services.all().stream().map(CdsService::discovery).toList());
    }

    @PostMapping("/cds-services/{id}")
    Map<String, Object> call(@PathVariable String id, @RequestBody HookRequest request,
            @RequestHeader(name = "Authorization", required = false) String authorization, HttpServletRequest http) {
        String endpoint = endpoint(id);
        JWTClaimsSet client = tokens.verify(authorization, Set.of(endpoint));
        CdsService service = service(id);
        check(request, service);
        String patientId = request.patientId();
        FhirAccess access = new FhirAccess(request.fhirServer(),
                request.fhirAuthorization() == null ? null : request.fhirAuthorization().accessToken());
        PatientRecord record = data.read(service, patientId, request.prefetch(), access);
        Assessment assessment = hook.assess(service, patientId, record, LocalDate.now(ZoneOffset.UTC));
        UUID uuid = UUID.randomUUID();
        String base = ServletUriComponentsBuilder.fromCurrentContextPath().toUriString();
        Map<String, Object> card = cards.card(uuid, assessment, base);
        feedback.cardIssued(uuid, id, assessment.version(), request.hookInstance());
        audit(http, client, patientId, assessment);
        if (assessment.predicted()) {
            try {
                riskAssessments.write(assessment, request.hookInstance(), (String) ((Map<?, ?>) card.get("source")).get("url"));
            } catch (RuntimeException e) {
                // The clinician still gets the card; the missing record is in the log for the operator.
                log.error("RiskAssessment for hookInstance {} not written: {}", request.hookInstance(), e.getMessage());
            }
        }
        return Map.of("cards", List.of(card));
    }

    /** CDS Hooks 2.0 feedback: {@code {"feedback": [{"card", "outcome", "overrideReason", "outcomeTimestamp"}]}}. */
    @PostMapping("/cds-services/{id}/feedback")
    ResponseEntity<Void> feedback(@PathVariable String id, @RequestBody FeedbackRequest request,
            @RequestHeader(name = "Authorization", required = false) String authorization) {
        String endpoint = endpoint(id);
        tokens.verify(authorization, Set.of(endpoint, endpoint + "/feedback"));
        service(id);
        if (request.feedback() == null || request.feedback().isEmpty()) {
            throw new IllegalArgumentException("feedback must list at least one card's outcome");
        }
        for (FeedbackRequest.Item item : request.feedback()) {
            feedback.record(id, item.toCardFeedback());
        }
        return ResponseEntity.ok().build();
    }

    private CdsService service(String id) {
        return services.find(id).orElseThrow(() -> new NotFoundException("no CDS service '" + id + "'"));
    }

    private static void check(HookRequest request, CdsService service) {
        if (!CdsService.HOOK.equals(request.hook())) {
            throw new IllegalArgumentException("service " + service.id() + " answers hook " + CdsService.HOOK
                    + ", not '" + request.hook() + "'");
        }
        if (request.hookInstance() == null || request.hookInstance().isBlank() || request.hookInstance().length() > 128) {
            throw new IllegalArgumentException("hookInstance is required (a UUID)");
        }
        if (request.patientId() == null || !FHIR_ID.matcher(request.patientId()).matches()) {
            throw new IllegalArgumentException("context.patientId is required and must be a FHIR id");
        }
    }

    /** The service's URL as the client called it: what the client's JWT must name as audience. */
    private static String endpoint(String id) {
        return ServletUriComponentsBuilder.fromCurrentContextPath().path("/cds-services/{id}").buildAndExpand(id)
                .toUriString();
    }

    private void audit(HttpServletRequest http, JWTClaimsSet client, String patientId, Assessment assessment) {
        AuditActor actor = new AuditActor(client.getSubject(), client.getSubject(), client.getIssuer(),
                client.getIssuer(), Set.of());
        AuditEvent event = RestAuditEvents.forRequest(http, actor, "operation", AuditEventAction.E, AuditEventOutcome._0);
        RestAuditEvents.addRequestEntity(event, http);
        RestAuditEvents.addPatientEntity(event, "Patient/" + patientId);
        event.addEntity().setName("model " + assessment.version().name() + " v" + assessment.version().version())
                .setDescription("model version " + assessment.version().id());
        audit.record(event);
    }

    /** The feedback request body. */
    record FeedbackRequest(List<Item> feedback) {

        @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
        record Item(String card, String outcome, OverrideReason overrideReason, String outcomeTimestamp) {

            CardFeedback toCardFeedback() {
                UUID uuid;
                try {
                    uuid = UUID.fromString(card);
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw new IllegalArgumentException("feedback card must be the uuid of a card this service issued");
                }
                if (!"accepted".equals(outcome) && !"overridden".equals(outcome)) {
                    throw new IllegalArgumentException("feedback outcome must be 'accepted' or 'overridden'");
                }
                java.time.Instant at;
                try {
                    at = java.time.OffsetDateTime.parse(outcomeTimestamp).toInstant();
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("feedback outcomeTimestamp must be an ISO 8601 date-time with offset");
                }
                CardFeedback.Reason reason = overrideReason == null || overrideReason.reason() == null ? null
                        : new CardFeedback.Reason(overrideReason.reason().system(), overrideReason.reason().code(),
                                overrideReason.reason().display());
                return new CardFeedback(uuid, outcome, reason, overrideReason == null ? null : overrideReason.userComment(), at);
            }
        }

        @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
        record OverrideReason(Coding reason, String userComment) {}

        @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
        record Coding(String system, String code, String display) {}
    }
}
