package org.medhub.ml.registry;

import java.time.Instant;
import java.util.UUID;

/** A registered model version as listed (without its artefacts). */
public record ModelVersion(
        UUID id, String name, int version, String algorithm, Instant createdAt, String createdBy, boolean active,
        String dataFingerprint) {}
