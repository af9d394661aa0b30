package org.medhub.dicomweb.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Identifier;
import org.medhub.dicomweb.index.PatientIdentifiers;
import org.medhub.platform.audit.AuditActor;
import org.medhub.platform.audit.AuditTrail;
import org.medhub.platform.audit.RestAuditEvents;
import org.medhub.platform.security.MedHubRole;
import org.medhub.platform.web.PublicBaseUrl;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who may do what on {@code /dicomweb} (ARCHITECTURE.md security model), and the audit record of
 * each access. A refusal throws {@link AccessDeniedException}; the platform's security layer turns
 * it into a 403 and audits it.
 */
public final class DicomwebAccess {

    /** {@code Identifier.system} of Study Instance UIDs in audit records (as FHIR ImagingStudy uses). */
    public static final String DICOM_UID_SYSTEM = "urn:dicom:uid";

    private static final Set<MedHubRole> READERS = EnumSet.of(MedHubRole.ADMIN, MedHubRole.CLINICIAN, MedHubRole.VIEWER);
    private static final Set<MedHubRole> WRITERS = EnumSet.of(MedHubRole.ADMIN, MedHubRole.CLINICIAN);

    private final AuditTrail auditTrail;
    private final PatientIdentifiers patientIdentifiers;

    public DicomwebAccess(AuditTrail auditTrail) {
        this(auditTrail, new PatientIdentifiers(PatientIdentifiers.DEFAULT_SYSTEM));
    }

    /** @param patientIdentifiers how the publisher names patients in FHIR (audit records name them alike) */
    public DicomwebAccess(AuditTrail auditTrail, PatientIdentifiers patientIdentifiers) {
        this.auditTrail = auditTrail;
        this.patientIdentifiers = patientIdentifiers;
    }

    /** Whether the caller may read identified images (admin, clinician, viewer). */
    public boolean mayReadIdentified() {
        return held().stream().anyMatch(READERS::contains);
    }

    /** Whether the caller holds the researcher role (who may read the de-identified view only). */
    public boolean isResearcher() {
        return held().contains(MedHubRole.RESEARCHER);
    }

    /** Identified images: admin, clinician, viewer (researchers get {@code deid.ReadAccess#readView()}). */
    public void requireRead() {
        require(READERS, "reading identified images needs the admin, clinician or viewer role");
    }

    /** STOW-RS: admin and clinician. */
    public void requireStore() {
        require(WRITERS, "storing images needs the admin or clinician role");
    }

    /** What a de-identification profile does (no patient data): admin, clinician, researcher. */
    public void requireDeidReport() {
        require(EnumSet.of(MedHubRole.ADMIN, MedHubRole.CLINICIAN, MedHubRole.RESEARCHER),
                "de-identification reports need the admin, clinician or researcher role");
    }

    /** DELETE: admin only. */
    public void requireDelete() {
        require(EnumSet.of(MedHubRole.ADMIN), "deleting images needs the admin role");
    }

    private static Set<MedHubRole> held() {
        return MedHubRole.of(SecurityContextHolder.getContext().getAuthentication());
    }

    private static void require(Set<MedHubRole> allowed, String message) {
        if (held().stream().noneMatch(allowed::contains)) {
            throw new AccessDeniedException(message);
        }
    }

    /**
     * Records an access in the audit trail: the request, and each patient and study it touched.
     * Throws when the record cannot be stored, so that an unrecorded access does not happen.
     *
     * <p>A patient is named by the identifier the publisher gives its FHIR Patient (system and
     * value); the audit publisher turns it into the literal reference {@code Patient/{id}}, so that
     * {@code AuditEvent?patient=} finds DICOMweb events as it finds FHIR ones.
     */
    public void audit(HttpServletRequest request, AuditEventAction action, String interaction, boolean success,
            Collection<StudyRef> studies, String outcomeDescription) {
        AuditEvent event = RestAuditEvents.forRequest(request, AuditActor.current(), interaction, action,
                success ? AuditEventOutcome._0 : AuditEventOutcome._4);
        if (outcomeDescription != null) {
            event.setOutcomeDesc(outcomeDescription);
        }
        RestAuditEvents.addRequestEntity(event, request);
        Set<String> patients = new LinkedHashSet<>();
        for (StudyRef study : studies) {
            Identifier patientIdentifier = patientIdentifiers.of(study.patientId(), study.issuerOfPatientId());
            if (patientIdentifier != null && patients.add(patientIdentifier.getSystem() + "|" + patientIdentifier.getValue())) {
                AuditEventEntityComponent patient = RestAuditEvents.addPatientEntity(event, null);
                patient.getWhat().setType("Patient").setIdentifier(patientIdentifier);
            }
            AuditEventEntityComponent imaging = RestAuditEvents.addDataEntity(event, null);
            imaging.getWhat().setReference(null);
            imaging.getWhat().setType("ImagingStudy");
            imaging.getWhat().getIdentifier().setSystem(DICOM_UID_SYSTEM).setValue("urn:oid:" + study.studyUid());
        }
        auditTrail.record(event);
    }

    /**
     * The base URL of this server's DICOMweb resources: from {@code medhub.public-base-url}, never from
     * the request's Host or forwarded headers (a client could point RetrieveURLs anywhere).
     */
    public static String baseUrl(HttpServletRequest request) {
        return PublicBaseUrl.of(request).resolve("/dicomweb");
    }

    /** A study an access touched, and its patient (PatientID and IssuerOfPatientID, each may be null). */
    public record StudyRef(String patientId, String issuerOfPatientId, String studyUid) {}
}
