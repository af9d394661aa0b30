package org.medhub.cdshooks.hooks;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.medhub.cdshooks.feedback.CardFeedback;
import org.medhub.cdshooks.feedback.FeedbackStore;
import org.medhub.cdshooks.hooks.ClientCalls.Call;
import org.medhub.cdshooks.request.RequestBodies;
import org.medhub.platform.audit.AuditTrail;
import org.medhub.platform.audit.RestAuditEvents;

/**
 * CDS Hooks 2.0 feedback after the client is verified: each outcome stored against the card it
 * names, and one audit record of the delivery (the EHR, each card, its outcome and override reason;
 * not the free-text comment itself, which stays in the feedback store). The audit is written before
 * the outcomes are stored, so that an unrecorded change does not happen; a delivery the store then
 * refuses (a card the service did not issue) gets a second record with the failure.
 */
final class FeedbackService {

    static final String CARD_SYSTEM = "urn:medhub:cds:card";

    private final HookService hooks;
    private final FeedbackStore feedback;
    private final AuditTrail audit;

    FeedbackService(HookService hooks, FeedbackStore feedback, AuditTrail audit) {
        this.hooks = hooks;
        this.feedback = feedback;
        this.audit = audit;
    }

    void record(String id, Call call, HttpServletRequest http) {
        hooks.service(id);
        List<CardFeedback> items = RequestBodies.parse(call.body(), FeedbackRequest.class).items();
        AuditEvent event = RestAuditEvents.forRequest(http, HookService.actor(call.client()), "create",
                AuditEventAction.C, AuditEventOutcome._0);
        RestAuditEvents.addRequestEntity(event, http);
        for (CardFeedback item : items) {
            AuditEvent.AuditEventEntityComponent card = RestAuditEvents.addDataEntity(event, null);
            card.getWhat().setReference(null);
            card.getWhat().getIdentifier().setSystem(CARD_SYSTEM).setValue(item.card().toString());
            card.setName("card " + item.card());
            card.setDescription(item.outcome() + (item.reason() == null ? "" : " (" + item.reason().code() + ")")
                    + (item.userComment() == null ? "" : ", with a comment"));
        }
        audit.record(event);
        try {
            for (CardFeedback item : items) {
                feedback.record(id, item);
            }
        } catch (RuntimeException e) {
            audit.record(event.copy().setOutcome(AuditEventOutcome._4).setOutcomeDesc("not stored: " + e.getMessage()));
            throw e;
        }
    }
}
