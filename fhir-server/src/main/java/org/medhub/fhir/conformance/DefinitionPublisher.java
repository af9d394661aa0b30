package org.medhub.fhir.conformance;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.UriParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.medhub.platform.fhir.MedHubDefinitions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

/**
 * Publishes MedHub's StructureDefinitions ({@link MedHubDefinitions}) at {@code /fhir/StructureDefinition}
 * at every start, so validators and clients can resolve the extensions MedHub writes by their
 * canonical URL. Created or updated by canonical URL: a definition already there with the same
 * content is left alone (no new version), a changed one is updated in place. Runs before the server
 * reports ready; a failure stops the start, as a server whose extensions cannot be resolved
 * should not run.
 */
final class DefinitionPublisher implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DefinitionPublisher.class);

    private final DaoRegistry daos;

    DefinitionPublisher(DaoRegistry daos) {
        this.daos = daos;
    }

    enum Outcome { CREATED, UPDATED, UNCHANGED }

    @Override
    public void run(ApplicationArguments args) {
        List<StructureDefinition> definitions = MedHubDefinitions.load();
        int created = 0;
        int updated = 0;
        for (StructureDefinition definition : definitions) {
            switch (publish(definition)) {
                case CREATED -> created++;
                case UPDATED -> updated++;
                case UNCHANGED -> { }
            }
        }
        log.info("MedHub StructureDefinitions at /fhir/StructureDefinition: {} created, {} updated, {} unchanged",
                created, updated, definitions.size() - created - updated);
    }

    Outcome publish(StructureDefinition definition) {
        try {
            return publishOnce(definition);
        } catch (ResourceVersionConflictException e) {
            // Another node starting at the same time stored it between our search and our write.
            return publishOnce(definition);
        }
    }

    private Outcome publishOnce(StructureDefinition definition) {
        IFhirResourceDao<StructureDefinition> dao = daos.getResourceDao(StructureDefinition.class);
        SystemRequestDetails request = new SystemRequestDetails();
        List<IBaseResource> found = dao.search(SearchParameterMap.newSynchronous(StructureDefinition.SP_URL,
                new UriParam(definition.getUrl())), request).getAllResources();
        if (found.size() > 1) {
            log.warn("{} StructureDefinitions have the canonical URL {}; updating the first", found.size(), definition.getUrl());
        }
        StructureDefinition stored = found.isEmpty() ? null : (StructureDefinition) found.get(0);
        if (stored != null && sameContent(stored, definition)) {
            return Outcome.UNCHANGED;
        }
        StructureDefinition written = definition.copy();
        // The file's id names a new one (update as create); an existing one keeps the id it has.
        written.setId(stored == null ? definition.getIdElement().getIdPart() : stored.getIdElement().getIdPart());
        dao.update(written, request);
        return stored == null ? Outcome.CREATED : Outcome.UPDATED;
    }

    /** Equal but for what the server manages (id, meta, narrative). */
    static boolean sameContent(StructureDefinition stored, StructureDefinition definition) {
        StructureDefinition a = stored.copy();
        StructureDefinition b = definition.copy();
        for (StructureDefinition sd : List.of(a, b)) {
            sd.setIdElement(null);
            sd.setMeta(null);
            sd.setText(null);
        }
        return a.equalsDeep(b);
    }
}
