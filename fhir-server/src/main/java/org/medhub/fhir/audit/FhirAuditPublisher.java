package org.medhub.fhir.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.medhub.platform.audit.AuditPublisher;
import org.medhub.platform.audit.RestAuditEvents;

/**
 * Stores the audit trail's events as {@code AuditEvent} resources of this FHIR server, one batch per
 * FHIR transaction through HAPI's system DAO. Going through the DAO and not through HTTP means that
 * storing audit records is not itself audited (the BALP interceptor sits on the REST server).
 *
 * <p>Each event is stored by its id ({@code PUT AuditEvent/<uuid>}): publishing a batch again after a
 * crash changes nothing, so the at-least-once drainer stores every event exactly once.
 *
 * <p>A reference inside an event ({@code entity.what}, ...) to a resource this server holds stays a
 * literal reference ({@code Patient/123}): HAPI then indexes it, and {@code AuditEvent?patient=} and
 * {@code ?entity=} find the event (BALP's patient entity is {@code what = Reference(Patient)}).
 * Deleting an audited resource is not blocked by its audit records (the storage settings exempt
 * AuditEvent's reference paths from referential integrity on delete), and audit records are kept
 * out of every answer not addressed to AuditEvent ({@code $everything}, {@code _revinclude}).
 *
 * <p>HAPI refuses a literal reference to a resource that does not exist or is deleted (referential
 * integrity on write, which stays on for clinical data), so such a reference (a refused read of an
 * unknown id; an event published after its resource was deleted) is stored as a logical one:
 * {@code identifier} = ({@value #REFERENCE_SYSTEM}, {@code Patient/123}), {@code type} and
 * {@code display}. Every entity naming a resource of this server, by literal reference or not, also
 * gets {@code Type/id} as {@code name} (HAPI does not index {@code Reference.identifier}), so that
 * {@code AuditEvent?entity-name:exact=Patient/123} finds the events whether or not the resource still
 * existed when they were published; except in events claiming a BALP Delete profile, which forbids
 * an entity name.
 */
final class FhirAuditPublisher implements AuditPublisher {

    static final String REFERENCE_SYSTEM = "urn:medhub:reference";
    /** How long an event naming a patient by identifier waits for that Patient to appear (see resolvePatients). */
    static final Duration PATIENT_PUBLICATION_WAIT = Duration.ofMinutes(5);
    private static final String BALP_PROFILE = "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.";

    private final IFhirSystemDao<Bundle, Meta> systemDao;
    private final DaoRegistry daos;
    private final FhirContext fhirContext;

    FhirAuditPublisher(IFhirSystemDao<Bundle, Meta> systemDao, DaoRegistry daos, FhirContext fhirContext) {
        this.systemDao = systemDao;
        this.daos = daos;
        this.fhirContext = fhirContext;
    }

    @Override
    public void publish(List<AuditEvent> events) {
        Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
        Map<String, Boolean> live = new HashMap<>();
        Map<String, List<IIdType>> patients = new HashMap<>();
        for (AuditEvent event : events) {
            String id = event.getIdElement().getIdPart();
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("An audit event to publish has no id");
            }
            resolvePatients(event, Instant.now(), patients);
            storableReferences(event, reference -> live.computeIfAbsent(reference, this::isLive));
            transaction.addEntry()
                    .setResource(event)
                    .getRequest()
                    .setMethod(HTTPVerb.PUT)
                    .setUrl("AuditEvent/" + id);
        }
        systemDao.transaction(new SystemRequestDetails(), transaction);
    }

    /**
     * Gives a patient entity named by a business identifier only (DICOMweb events: PatientID in its
     * issuer's system) the literal reference to the one Patient carrying that identifier, so that
     * {@code AuditEvent?patient=} finds it. While no Patient has it yet (the DICOMweb publisher
     * creates it shortly after the images are stored) the event waits, up to
     * {@link #PATIENT_PUBLICATION_WAIT} after it was recorded; then, or when several Patients carry
     * the identifier, it is stored with the identifier alone.
     */
    void resolvePatients(AuditEvent event, Instant now, Map<String, List<IIdType>> patientsByIdentifier) {
        for (AuditEventEntityComponent entity : event.getEntity()) {
            Reference what = entity.getWhat();
            if (!isPatientEntity(entity) || what.hasReference() || !what.hasIdentifier()) {
                continue;
            }
            Identifier identifier = what.getIdentifier();
            if (!identifier.hasSystem() || !identifier.hasValue() || REFERENCE_SYSTEM.equals(identifier.getSystem())) {
                continue;
            }
            List<IIdType> patients = patientsByIdentifier.computeIfAbsent(
                    identifier.getSystem() + "|" + identifier.getValue(), key -> patientsWith(identifier));
            if (patients.size() == 1) {
                what.setReference("Patient/" + patients.get(0).getIdPart());
            } else if (patients.isEmpty() && event.hasRecorded()
                    && event.getRecorded().toInstant().plus(PATIENT_PUBLICATION_WAIT).isAfter(now)) {
                throw new AuditPublisher.NotYet("no Patient with identifier " + identifier.getSystem() + "|"
                        + identifier.getValue() + " yet");
            }
        }
    }

    private List<IIdType> patientsWith(Identifier identifier) {
        return daos.getResourceDao("Patient").searchForResourceIds(
                SearchParameterMap.newSynchronous(Patient.SP_IDENTIFIER,
                        new TokenParam(identifier.getSystem(), identifier.getValue())),
                new SystemRequestDetails());
    }

    /** BALP's patient entity: type 1 Person, role 1 Patient. */
    private static boolean isPatientEntity(AuditEventEntityComponent entity) {
        return RestAuditEvents.ENTITY_TYPE_SYSTEM.equals(entity.getType().getSystem()) && "1".equals(entity.getType().getCode())
                && RestAuditEvents.OBJECT_ROLE_SYSTEM.equals(entity.getRole().getSystem()) && "1".equals(entity.getRole().getCode());
    }

    /**
     * Keeps the literal references to resources that {@code live} says exist; rewrites every other
     * literal reference of the event into a logical one (see the class comment).
     */
    void storableReferences(AuditEvent event, Predicate<String> live) {
        boolean nameAllowed = event.getMeta().getProfile().stream()
                .map(p -> p.getValue())
                .noneMatch(p -> p.equals(BALP_PROFILE + "Delete") || p.equals(BALP_PROFILE + "PatientDelete"));
        for (AuditEventEntityComponent entity : event.getEntity()) {
            String literal = entity.getWhat().getReference();
            if (nameAllowed && !entity.hasName() && !entity.hasQuery() && isLocal(literal)) {
                entity.setName(new IdType(literal).toUnqualifiedVersionless().getValue());
            }
        }
        for (Reference reference : fhirContext.newTerser().getAllPopulatedChildElementsOfType(event, Reference.class)) {
            String literal = reference.getReference();
            if (literal == null || literal.isBlank() || literal.startsWith("#")) {
                continue;
            }
            IdType target = new IdType(literal);
            if (isLocal(literal) && live.test(literal)) {
                reference.setReference(target.toUnqualifiedVersionless().getValue());
                continue;
            }
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

    /** A reference to this server: {@code Type/id}, no base URL. */
    private static boolean isLocal(String literal) {
        if (literal == null || literal.isBlank() || literal.startsWith("#")) {
            return false;
        }
        IdType target = new IdType(literal);
        return !target.hasBaseUrl() && target.hasResourceType() && target.hasIdPart();
    }

    /** Whether the resource exists and is not deleted: what HAPI's referential integrity on write accepts. */
    private boolean isLive(String literal) {
        IdType target = new IdType(literal).toUnqualifiedVersionless();
        if (!daos.isResourceTypeSupported(target.getResourceType())) {
            return false;
        }
        try {
            daos.getResourceDao(target.getResourceType()).read(target, new SystemRequestDetails());
            return true;
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return false;
        }
    }

    /** {@code Patient/123} for a reference to this server, the URL as given for any other. */
    private static String logicalValue(IdType target, String literal) {
        return target.hasBaseUrl() || !target.hasResourceType() ? literal : target.toUnqualifiedVersionless().getValue();
    }
}
