package org.medhub.ml.registry;

import java.time.Instant;
import java.util.UUID;
import org.medhub.ml.request.InvalidRequestException;

/**
 * One activation of a model version: from then on it served predictions and CDS Hooks for its name.
 *
 * @param replacedVersion the version that was active before, {@code null} when none was
 * @param reason why the admin made the switch (required, at most {@link #MAX_REASON_LENGTH} characters)
 */
public record Activation(String model, int version, UUID modelVersionId, Integer replacedVersion,
        UUID replacedVersionId, String activatedBy, Instant activatedAt, String reason) {

    /** Bounded so that a reason is a sentence or two, not a document (the column has the same check). */
    public static final int MAX_REASON_LENGTH = 500;

    /** The reason recorded when an admin registers the first version of a name, which serves at once. */
    public static final String FIRST_VERSION = "first version of the model, registered by an admin";

    /** The reason, trimmed, or an {@link IllegalArgumentException} saying what a reason must be. */
    public static String checkedReason(String reason) {
        String trimmed = reason == null ? "" : reason.strip();
        if (trimmed.isEmpty() || trimmed.length() > MAX_REASON_LENGTH) {
            throw new InvalidRequestException("activation needs a body {\"reason\": \"...\"} with a reason of 1 to "
                    + MAX_REASON_LENGTH + " characters (it is kept in the model's activation history)");
        }
        return trimmed;
    }
}
