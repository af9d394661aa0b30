package org.medhub.fhir.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Reference;
import org.medhub.platform.audit.AuditPublisher;

/**
 * Stores the audit trail's events as {@code AuditEvent} resources of this FHIR server, one batch per
 * FHIR transaction through HAPI's system DAO. Going through the DAO and not through HTTP means that
 * storing audit records is not itself audited (the BALP interceptor sits on the REST server).
 *
 * <p>Each event is stored by its id ({@code PUT AuditEvent/<uuid>}): publishing a batch again after a
 * crash changes nothing, so the at-least-once drainer stores every event exactly once.
 *
 * <p>References inside an event ({@code entity.what}, {@code agent.who}, ...) are stored as logical
 * references: {@code identifier} = ({@value #REFERENCE_SYSTEM}, {@code Patient/123}), {@code type}
 * and {@code display}, no literal {@code reference}. A literal reference would make the record fail
 * referential integrity forever when its target is deleted or never existed (a refused read of an
 * unknown id), would block deleting an audited patient, and would put every AuditEvent into its
 * patient's compartment, so that {@code Patient/$everything} and {@code _revinclude} returned audit
 * records to clinicians. HAPI does not index {@code Reference.identifier} for the {@code :identifier}
 * modifier, so each such entity also gets that value as {@code name} (unless it has a query, which
 * excludes a name): find the events about a resource with
 * {@code AuditEvent?entity-name:exact=Patient/123}.
 */
final class FhirAuditPublisher implements AuditPublisher {

    static final String REFERENCE_SYSTEM = "urn:medhub:reference";

    private final IFhirSystemDao<Bundle, Meta> systemDao;
    private final FhirContext fhirContext;

    FhirAuditPublisher(IFhirSystemDao<Bundle, Meta> systemDao, FhirContext fhirContext) {
        this.systemDao = systemDao;
        this.fhirContext = fhirContext;
    }

    @Override
    public void publish(List<AuditEvent> events) {
        Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
        for (AuditEvent event : events) {
            String id = event.getIdElement().getIdPart();
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("An audit event to publish has no id");
            }
            logicalReferences(event);
            transaction.addEntry()
                    .setResource(event)
                    .getRequest()
                    .setMethod(HTTPVerb.PUT)
                    .setUrl("AuditEvent/" + id);
        }
        systemDao.transaction(new SystemRequestDetails(), transaction);
    }

    /** Rewrites every literal reference of the event into a logical one (see the class comment). */
    void logicalReferences(AuditEvent event) {
        for (AuditEventEntityComponent entity : event.getEntity()) {
            String literal = entity.getWhat().getReference();
            if (!entity.hasName() && !entity.hasQuery() && literal != null && !literal.startsWith("#")) {
                entity.setName(logicalValue(new IdType(literal), literal));
            }
        }
        for (Reference reference : fhirContext.newTerser().getAllPopulatedChildElementsOfType(event, Reference.class)) {
            String literal = reference.getReference();
            if (literal == null || literal.isBlank() || literal.startsWith("#")) {
                continue;
            }
            IdType target = new IdType(literal);
            String value = logicalValue(target, literal);
            if (!reference.hasIdentifier()) {
                reference.setIdentifier(new Identifier().setSystem(REFERENCE_SYSTEM).setValue(value));
            }
            if (!reference.hasType() && target.hasResourceType()) {
                reference.setType(target.getResourceType());
            }
            if (!reference.hasDisplay()) {
                reference.setDisplay(value);
            }
            reference.setReference(null);
        }
    }

    /** {@code Patient/123} for a reference to this server, the URL as given for any other. */
    private static String logicalValue(IdType target, String literal) {
        return target.hasBaseUrl() || !target.hasResourceType() ? literal : target.toUnqualifiedVersionless().getValue();
    }
}
