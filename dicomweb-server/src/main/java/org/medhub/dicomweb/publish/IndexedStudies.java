package org.medhub.dicomweb.publish;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.medhub.dicomweb.index.DicomIndex;
import org.springframework.jdbc.core.JdbcTemplate;

/** Reads whole studies from the index (never the stored files) for publication. */
final class IndexedStudies {

    private final JdbcTemplate jdbc;

    IndexedStudies(DicomIndex index) {
        this.jdbc = index.jdbc();
    }

    /** The study with its series and instances, or empty when nothing of it is stored (any more). */
    Optional<IndexedStudy> find(String studyUid) {
        Map<String, List<IndexedStudy.Instance>> instances = new LinkedHashMap<>();
        jdbc.query("""
                SELECT series_uid, sop_instance_uid, sop_class_uid, instance_number FROM instance WHERE study_uid = ?
                ORDER BY series_uid, instance_number, sop_instance_uid
                """, row -> {
            instances.computeIfAbsent(row.getString(1), key -> new ArrayList<>())
                    .add(new IndexedStudy.Instance(row.getString(2), row.getString(3), row.getString(4)));
        }, studyUid);
        List<IndexedStudy.Series> series = jdbc.query("""
                SELECT series_uid, modality, series_number, series_description FROM series WHERE study_uid = ?
                ORDER BY series_uid
                """, (row, n) -> new IndexedStudy.Series(row.getString(1), row.getString(2), row.getString(3),
                        row.getString(4), instances.getOrDefault(row.getString(1), List.of())), studyUid);
        List<IndexedStudy> study = jdbc.query("""
                SELECT patient_id, issuer_of_patient_id, patient_name, patient_birth_date, patient_sex, study_date,
                    study_time, accession_number, issuer_of_accession_number, study_description
                FROM study WHERE study_uid = ?
                """, (row, n) -> new IndexedStudy(studyUid, row.getString(1), row.getString(2), row.getString(3),
                        row.getString(4), row.getString(5), row.getString(6), row.getString(7), row.getString(8),
                        row.getString(9), row.getString(10), series), studyUid);
        return study.stream().filter(s -> s.numberOfInstances() > 0).findFirst();
    }
}
