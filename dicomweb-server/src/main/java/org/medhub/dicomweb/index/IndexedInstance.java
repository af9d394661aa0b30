package org.medhub.dicomweb.index;

import org.springframework.jdbc.core.RowMapper;

/**
 * One instance row with what retrieval and auditing need.
 *
 * @param patientId the study's PatientID, or null
 * @param issuerOfPatientId the study's IssuerOfPatientID, or null
 */
public record IndexedInstance(
        String studyUid,
        String seriesUid,
        String sopInstanceUid,
        String sopClassUid,
        String transferSyntaxUid,
        String storageKey,
        String sha256,
        Integer numberOfFrames,
        String patientId,
        String issuerOfPatientId) {

    static final String SELECT = "SELECT i.study_uid, i.series_uid, i.sop_instance_uid, i.sop_class_uid,"
            + " i.transfer_syntax_uid, i.storage_key, i.sha256, i.number_of_frames, s.patient_id,"
            + " s.issuer_of_patient_id"
            + " FROM instance i JOIN study s ON s.study_uid = i.study_uid";

    static final RowMapper<IndexedInstance> ROW_MAPPER = (row, n) -> new IndexedInstance(
            row.getString(1),
            row.getString(2),
            row.getString(3),
            row.getString(4),
            row.getString(5),
            row.getString(6),
            row.getString(7),
            (Integer) row.getObject(8),
            row.getString(9),
            row.getString(10));
}
