package org.medhub.fhir.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.model.DeleteConflict;
import ca.uhn.fhir.jpa.api.model.DeleteConflictList;
import ca.uhn.fhir.jpa.delete.DeleteConflictOutcome;
import ca.uhn.fhir.jpa.model.entity.ResourceLink;
import ca.uhn.fhir.model.primitive.IdDt;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lets a resource be deleted although AuditEvents name it by literal reference (they do, so that
 * {@code AuditEvent?patient=} finds them), while every other reference still blocks the delete
 * (referential integrity on delete stays on for clinical data). The links from the audit records
 * stay: the events of a deleted patient are still found by {@code ?patient=Patient/{id}}.
 *
 * <p>HAPI 8.8's {@code enforceReferentialIntegrityOnDeleteDisableForPaths} applies to
 * {@code $delete-expunge} only, not to a DELETE. HAPI reads at most a page of conflicting links
 * before calling this hook, so a page full of audit records can hide a clinical reference: when audit
 * conflicts are dropped, the clinical references to the target are looked up here in full.
 */
@Interceptor
final class AuditRecordsDoNotBlockDeletes {

    private static final String AUDIT_EVENT = "AuditEvent";
    /** HAPI's own conflict query, restricted to sources that are not audit records. */
    private static final String CLINICAL_REFERENCES = "SELECT l FROM ResourceLink l"
            + " WHERE l.myTargetResourceType = :type AND l.myTargetResource.myFhirId = :id"
            + " AND l.myTargetResourceVersion IS NULL AND l.mySourceResourceType <> '" + AUDIT_EVENT + "'";

    private final EntityManager entityManager;
    private final int maximumConflicts;

    AuditRecordsDoNotBlockDeletes(EntityManager entityManager, int maximumConflicts) {
        this.entityManager = entityManager;
        this.maximumConflicts = maximumConflicts;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_DELETE_CONFLICTS)
    public DeleteConflictOutcome ignoreAuditRecords(DeleteConflictList conflicts) {
        Set<IdDt> targets = new HashSet<>();
        for (DeleteConflict conflict : conflicts) {
            if (AUDIT_EVENT.equals(conflict.getSourceId().getResourceType())) {
                targets.add(conflict.getTargetId().toUnqualifiedVersionless());
            }
        }
        if (targets.isEmpty()) {
            return null;
        }
        conflicts.removeIf(conflict -> AUDIT_EVENT.equals(conflict.getSourceId().getResourceType()));
        Set<String> kept = new HashSet<>();
        conflicts.forEach(conflict -> kept.add(key(conflict)));
        for (DeleteConflict clinical : clinicalReferences(targets)) {
            if (kept.add(key(clinical))) {
                conflicts.add(clinical);
            }
        }
        return null; // nothing to retry: what is left blocks the delete
    }

    private List<DeleteConflict> clinicalReferences(Set<IdDt> targets) {
        List<DeleteConflict> found = new ArrayList<>();
        for (IdDt target : targets) {
            List<ResourceLink> links = entityManager.createQuery(CLINICAL_REFERENCES, ResourceLink.class)
                    .setParameter("type", target.getResourceType())
                    .setParameter("id", target.getIdPart())
                    .setMaxResults(maximumConflicts)
                    .getResultList();
            for (ResourceLink link : links) {
                found.add(new DeleteConflict(link.getSourceResource().getIdDt().toUnqualifiedVersionless(),
                        link.getSourcePath(), target));
            }
        }
        return found;
    }

    private static String key(DeleteConflict conflict) {
        return conflict.getSourceId().toUnqualifiedVersionless().getValue() + " " + conflict.getSourcePath()
                + " " + conflict.getTargetId().toUnqualifiedVersionless().getValue();
    }
}
