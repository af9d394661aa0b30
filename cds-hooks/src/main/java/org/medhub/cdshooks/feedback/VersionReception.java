package org.medhub.cdshooks.feedback;

import java.util.List;

/**
 * How clinicians received the cards of one model version.
 *
 * @param overrideReasons the reasons given for overrides, most frequent first
 */
public record VersionReception(int version, long cardsIssued, long accepted, long overridden,
        List<ReasonCount> overrideReasons) {

    public VersionReception {
        overrideReasons = List.copyOf(overrideReasons);
    }

    /** An override reason's coding and how often it was given. */
    public record ReasonCount(String system, String code, String display, long count) {}
}
