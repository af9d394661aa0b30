package org.medhub.cdshooks.hooks;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.medhub.cdshooks.request.BadRequestException;
import org.medhub.cdshooks.feedback.CardFeedback;

/** CDS Hooks 2.0 feedback: {@code {"feedback": [{"card", "outcome", "overrideReason", "outcomeTimestamp"}]}}. */
@JsonIgnoreProperties(ignoreUnknown = true)
record FeedbackRequest(List<Item> feedback) {

    /** The most outcomes one request may carry. */
    static final int MAX_ITEMS = 100;

    List<CardFeedback> items() {
        if (feedback == null || feedback.isEmpty()) {
            throw new BadRequestException("feedback must list at least one card's outcome");
        }
        if (feedback.size() > MAX_ITEMS) {
            throw new BadRequestException("feedback lists more than " + MAX_ITEMS + " outcomes");
        }
        return feedback.stream().map(item -> {
            if (item == null) {
                throw new BadRequestException("feedback entries must be objects");
            }
            return item.toCardFeedback();
        }).toList();
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Item(String card, String outcome, OverrideReason overrideReason, String outcomeTimestamp) {

        CardFeedback toCardFeedback() {
            UUID uuid;
            try {
                uuid = UUID.fromString(card);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new BadRequestException("feedback card must be the uuid of a card this service issued");
            }
            if (!"accepted".equals(outcome) && !"overridden".equals(outcome)) {
                throw new BadRequestException("feedback outcome must be 'accepted' or 'overridden'");
            }
            Instant at;
            try {
                at = OffsetDateTime.parse(outcomeTimestamp).toInstant();
            } catch (RuntimeException e) {
                throw new BadRequestException("feedback outcomeTimestamp must be an ISO 8601 date-time with offset");
            }
            CardFeedback.Reason reason = overrideReason == null || overrideReason.reason() == null ? null
                    : new CardFeedback.Reason(overrideReason.reason().system(), overrideReason.reason().code(),
                            overrideReason.reason().display());
            return new CardFeedback(uuid, outcome, reason, overrideReason == null ? null : overrideReason.userComment(), at);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record OverrideReason(Coding reason, String userComment) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Coding(String system, String code, String display) {}
}
