package org.medhub.cdshooks.hooks;

import com.nimbusds.jwt.JWTClaimsSet;
import jakarta.servlet.http.HttpServletRequest;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.medhub.cdshooks.cards.Assessment;
import org.medhub.cdshooks.cards.Card;
import org.medhub.cdshooks.cards.Cards;
import org.medhub.cdshooks.cards.CardsResponse;
import org.medhub.cdshooks.discovery.CdsService;
import org.medhub.cdshooks.discovery.CdsServices;
import org.medhub.cdshooks.hooks.ClientCalls.Call;
import org.medhub.cdshooks.prefetch.FhirBase;
import org.medhub.cdshooks.prefetch.FhirServers;
import org.medhub.cdshooks.prefetch.PatientData;
import org.medhub.cdshooks.prefetch.PatientData.FhirAccess;
import org.medhub.cdshooks.record.RiskAssessments;
import org.medhub.cdshooks.request.BadRequestException;
import org.medhub.cdshooks.security.TrustedClients;
import org.medhub.ml.cohort.CohortFeatures.PatientRecord;
import org.medhub.cdshooks.feedback.FeedbackStore;
import org.medhub.ml.registry.NotFoundException;
import org.medhub.platform.audit.AuditActor;
import org.medhub.platform.audit.AuditTrail;
import org.medhub.platform.audit.RestAuditEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service call after the client is verified: the request checked, the patient's record read
 * (prefetch, or the client's {@code fhirServer} when the client may name it), predicted and
 * explained, one card answered and remembered for feedback, the access audited, and a
 * RiskAssessment recorded in MedHub's FHIR server.
 */
final class HookService {

    private static final Logger log = LoggerFactory.getLogger(HookService.class);

    private final CdsServices services;
    private final TrustedClients clients;
    private final FhirServers fhirServers;
    private final PatientData data;
    private final RiskHook hook;
    private final Cards cards;
    private final RiskAssessments riskAssessments;
    private final FeedbackStore feedback;
    private final AuditTrail audit;

    HookService(CdsServices services, TrustedClients clients, FhirServers fhirServers, PatientData data, RiskHook hook,
            Cards cards, RiskAssessments riskAssessments, FeedbackStore feedback, AuditTrail audit) {
        this.services = services;
        this.clients = clients;
        this.fhirServers = fhirServers;
        this.data = data;
        this.hook = hook;
        this.cards = cards;
        this.riskAssessments = riskAssessments;
        this.feedback = feedback;
        this.audit = audit;
    }

    CdsService service(String id) {
        return services.find(id).orElseThrow(() -> new NotFoundException("no CDS service '" + id + "'"));
    }

    CardsResponse call(String id, Call call, String baseUrl, HttpServletRequest http) {
        CdsService service = service(id);
        HookRequest request = HookRequests.parse(call.body());
        String patientId = request.patientId();
        PatientRecord record = data.read(service, patientId, request.prefetch(), access(call.client(), request));
        Assessment assessment = hook.assess(service, patientId, record, LocalDate.now(ZoneOffset.UTC));
        UUID uuid = UUID.randomUUID();
        Card card = cards.card(uuid, assessment, baseUrl);
        feedback.cardIssued(uuid, id, assessment.version().name(), assessment.version().version(), request.hookInstance());
        audit(http, call.client(), patientId, assessment);
        if (assessment.predicted()) {
            try {
                riskAssessments.write(assessment, request.hookInstance(), card.source().url());
            } catch (RuntimeException e) {
                // The clinician still gets the card; the missing record is in the log for the operator.
                log.error("RiskAssessment for hookInstance {} not written: {}", request.hookInstance(), e.getMessage());
            }
        }
        return new CardsResponse(List.of(card));
    }

    /**
     * The client's FHIR access, when it gave one: refused before any connection unless the base is
     * one the client's entry in its client file allows ({@code fhir-servers}).
     */
    private FhirAccess access(JWTClaimsSet client, HookRequest request) {
        if (request.fhirServer() == null) {
            return null;
        }
        FhirBase base = fhirServers.allowed(request.fhirServer(), clients.fhirServers(client.getIssuer()))
                .orElseThrow(() -> new BadRequestException("fhirServer is not a FHIR server this client may name "
                        + "(fhir-servers of its entry in medhub.cds.client-files)"));
        return new FhirAccess(base, request.fhirAuthorization() == null ? null : request.fhirAuthorization().accessToken());
    }

    private void audit(HttpServletRequest http, JWTClaimsSet client, String patientId, Assessment assessment) {
        AuditEvent event = RestAuditEvents.forRequest(http, actor(client), "operation", AuditEventAction.E,
                AuditEventOutcome._0);
        RestAuditEvents.addRequestEntity(event, http);
        RestAuditEvents.addPatientEntity(event, "Patient/" + patientId);
        event.addEntity().setName("model " + assessment.version().name() + " v" + assessment.version().version())
                .setDescription("model version " + assessment.version().id());
        audit.record(event);
    }

    /** The EHR as the audit's actor: its {@code sub} (the user, when it sends one) and its issuer. */
    static AuditActor actor(JWTClaimsSet client) {
        return new AuditActor(client.getSubject(), client.getSubject(), client.getIssuer(), client.getIssuer(), Set.of());
    }
}
