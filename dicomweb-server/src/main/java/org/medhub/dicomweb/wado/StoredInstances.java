package org.medhub.dicomweb.wado;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.medhub.dicomweb.deid.ResearcherView;
import org.medhub.dicomweb.index.DicomIndex;
import org.medhub.dicomweb.index.IndexedInstance;
import org.medhub.dicomweb.web.DicomwebAccess;
import org.medhub.dicomweb.web.DicomwebAccess.StudyRef;
import org.medhub.dicomweb.web.DicomwebErrors.DicomwebException;
import org.springframework.http.HttpStatus;

/**
 * The read side every retrieval shares (WADO-RS, rendered, WADO-URI): the caller's right to read,
 * the instances addressed or 404, and the audit record of the access.
 */
public final class StoredInstances {

    /** Request attribute: the instances a read found, so that a failure after the lookup is audited too. */
    static final String FOUND = StoredInstances.class.getName() + ".found";

    private final DicomIndex index;
    private final DicomwebAccess access;

    public StoredInstances(DicomIndex index, DicomwebAccess access) {
        this.index = index;
        this.access = access;
    }

    /** The indexed instances addressed, or 404; checks the caller may read them first. */
    public List<IndexedInstance> found(HttpServletRequest request, String study, String series, String instance) {
        access.requireRead();
        return found(request, null, study, series, instance);
    }

    /**
     * The same for a caller whose read access {@link org.medhub.dicomweb.deid.ReadAccess#readView()} has checked; for a
     * researcher ({@code view} not null) the UIDs are pseudonyms and are mapped back first.
     */
    public List<IndexedInstance> found(HttpServletRequest request, ResearcherView view, String study, String series,
            String instance) {
        List<IndexedInstance> instances = view == null ? index.instances(study, series, instance)
                : index.instances(view.originalUid(study), view.originalUid(series), view.originalUid(instance));
        if (instances.isEmpty()) {
            access.audit(request, AuditEventAction.R, "read", false, List.of(), "404 not found");
            throw new DicomwebException(HttpStatus.NOT_FOUND, "no such " + (instance != null ? "instance"
                    : series != null ? "series" : "study"));
        }
        request.setAttribute(FOUND, instances);
        return instances;
    }

    /** Records a successful read of these instances. */
    public void audited(HttpServletRequest request, List<IndexedInstance> instances) {
        access.audit(request, AuditEventAction.R, "read", true, studiesOf(instances), null);
    }

    /**
     * Records that a read failed after its instances were found (an unreadable stored object, a
     * rendering or transcoding that failed, an answer aborted while streaming), with the studies
     * and patients it was about: an attempt on patient data is an access to audit (BALP).
     */
    void auditFailure(HttpServletRequest request, List<IndexedInstance> instances, String outcome) {
        access.audit(request, AuditEventAction.R, "read", false, studiesOf(instances), outcome);
    }

    private static List<StudyRef> studiesOf(List<IndexedInstance> instances) {
        return instances.stream().map(i -> new StudyRef(i.patientId(), i.issuerOfPatientId(), i.studyUid())).distinct().toList();
    }
}
