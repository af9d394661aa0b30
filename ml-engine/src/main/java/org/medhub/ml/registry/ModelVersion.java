package org.medhub.ml.registry;

import java.time.Instant;
import java.util.UUID;

/**
 * A registered model version as listed (without its artefacts).
 *
 * @param state whether it serves now, waits as a proposal (never activated) or served before
 */
public record ModelVersion(
        UUID id, String name, int version, String algorithm, Instant createdAt, String createdBy, boolean active,
        String dataFingerprint, State state) {

    /** Where a version stands: researchers propose versions, admins activate them. */
    public enum State {
        ACTIVE, PROPOSED, RETIRED;

        static State of(boolean active, boolean everActivated) {
            return active ? ACTIVE : everActivated ? RETIRED : PROPOSED;
        }
    }
}
