package org.medhub.cdshooks.discovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.medhub.ml.cohort.CohortSpec;
import org.medhub.ml.cohort.CohortSpecs;
import org.medhub.ml.MlEngine;
import org.medhub.ml.registry.ModelVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services on offer: one per model that has an active version and a FHIR feature spec
 * ({@code <spec directory>/<model>.yaml}, the one it was trained from). Read on every discovery and
 * call, so that activating a model or adding a spec needs no restart.
 */
public final class CdsServices {

    private static final Logger log = LoggerFactory.getLogger(CdsServices.class);

    private final MlEngine engine;
    private final Path specDirectory;

    public CdsServices(MlEngine engine, Path specDirectory) {
        this.engine = engine;
        this.specDirectory = specDirectory;
    }

    public List<CdsService> all() {
        List<CdsService> services = new ArrayList<>();
        for (ModelVersion version : engine.activeVersions()) {
            spec(version.name()).ifPresent(spec -> services.add(new CdsService(version.name(), version.name(), spec)));
        }
        return services;
    }

    public Optional<CdsService> find(String id) {
        return all().stream().filter(service -> service.id().equals(id)).findFirst();
    }

    private Optional<CohortSpec> spec(String model) {
        Path file = specDirectory.resolve(model + ".yaml");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(CohortSpecs.parse(Files.readAllBytes(file)));
        } catch (IOException | RuntimeException e) {
            log.warn("No CDS service for model {}: its spec {} cannot be used: {}", model, file, e.getMessage());
            return Optional.empty();
        }
    }
}
