package org.medhub.cdshooks.feedback;

import java.time.Instant;
import java.util.UUID;

/**
 * What a clinician did with one card (CDS Hooks 2.0 feedback).
 *
 * @param outcome {@code accepted} or {@code overridden}
 * @param reason the override reason's coding, when the clinician picked one
 * @param userComment free text the clinician added to an override
 */
public record CardFeedback(UUID card, String outcome, Reason reason, String userComment, Instant outcomeTimestamp) {

    /** An override reason as a coding (system, code, display). */
    public record Reason(String system, String code, String display) {}
}
