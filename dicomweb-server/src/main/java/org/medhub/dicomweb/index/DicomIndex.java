package org.medhub.dicomweb.index;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.medhub.dicomweb.dicom.ParsedInstance;
import org.medhub.platform.database.SchemaDataSources;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code dicomweb} schema: study, series and instance rows pointing at stored objects. Its
 * tables are migrated by their own Flyway instance ({@code db/dicomweb}).
 */
public final class DicomIndex implements AutoCloseable {

    public static final String SCHEMA = "dicomweb";

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    DicomIndex(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /** A pool on the {@code dicomweb} schema, migrated. */
    public static DicomIndex open(SchemaDataSources dataSources) {
        return new DicomIndex(dataSources.migrated(SCHEMA));
    }

    /** For the query translators: read-only SQL on the index tables. */
    public JdbcTemplate jdbc() {
        return jdbc;
    }

    /**
     * Runs a read-only search of the index tables (a QIDO-RS query translated to SQL, its values bound
     * as {@code arguments}) and reads its first {@code limit} rows (every row when 0) with {@code reader};
     * a row beyond them is only counted, so the statement may ask for one more to tell whether more exist.
     */
    public <T> SearchRow.Page<T> search(String sql, List<Object> arguments, int limit, SearchRow.Reader<T> reader) {
        List<T> results = new ArrayList<>();
        boolean[] more = {false};
        jdbc.query(sql, (ResultSet row) -> {
            if (results.size() < limit || limit == 0) {
                results.add(reader.read(row::getString));
            } else {
                more[0] = true;
            }
        }, arguments.toArray());
        return new SearchRow.Page<>(results, more[0]);
    }

    /** What the index holds under a SOP Instance UID. */
    public Optional<IndexedInstance> find(String sopInstanceUid) {
        List<IndexedInstance> rows = jdbc.query(
                IndexedInstance.SELECT + " WHERE i.sop_instance_uid = ?", IndexedInstance.ROW_MAPPER, sopInstanceUid);
        return rows.stream().findFirst();
    }

    /** Instances of a study, optionally narrowed to a series and an instance, in a stable order. */
    public List<IndexedInstance> instances(String studyUid, String seriesUid, String sopInstanceUid) {
        StringBuilder sql = new StringBuilder(IndexedInstance.SELECT).append(" WHERE i.study_uid = ?");
        List<Object> args = new ArrayList<>(List.of(studyUid));
        if (seriesUid != null) {
            sql.append(" AND i.series_uid = ?");
            args.add(seriesUid);
        }
        if (sopInstanceUid != null) {
            sql.append(" AND i.sop_instance_uid = ?");
            args.add(sopInstanceUid);
        }
        sql.append(" ORDER BY i.series_uid, i.instance_number, i.sop_instance_uid");
        return jdbc.query(sql.toString(), IndexedInstance.ROW_MAPPER, args.toArray());
    }

    /**
     * Indexes a committed object: study, series and instance rows in one transaction (replacing an
     * earlier instance row with the same SOP Instance UID). Returns the storage key the instance
     * had before, if any, so the caller can remove a replaced object.
     */
    public Optional<String> put(ParsedInstance instance, String storageKey, long size, String sha256) {
        return transactions.execute(status -> {
            jdbc.update("""
                    INSERT INTO study (study_uid, patient_id, issuer_of_patient_id, patient_name, patient_name_upper,
                        patient_birth_date, patient_sex, study_date, study_time, accession_number,
                        issuer_of_accession_number, study_id, study_description, referring_physician_name,
                        referring_physician_upper)
                    VALUES (?, ?, ?, ?, upper(?), ?, ?, ?, ?, ?, ?, ?, ?, ?, upper(?))
                    ON CONFLICT (study_uid) DO UPDATE SET
                        patient_id = excluded.patient_id, issuer_of_patient_id = excluded.issuer_of_patient_id,
                        patient_name = excluded.patient_name, patient_name_upper = excluded.patient_name_upper,
                        patient_birth_date = excluded.patient_birth_date, patient_sex = excluded.patient_sex,
                        study_date = excluded.study_date, study_time = excluded.study_time,
                        accession_number = excluded.accession_number,
                        issuer_of_accession_number = excluded.issuer_of_accession_number, study_id = excluded.study_id,
                        study_description = excluded.study_description,
                        referring_physician_name = excluded.referring_physician_name,
                        referring_physician_upper = excluded.referring_physician_upper, updated_at = now()
                    """,
                    instance.studyUid(), instance.patientId(), instance.issuerOfPatientId(), instance.patientName(),
                    instance.patientName(), instance.patientBirthDate(), instance.patientSex(), instance.studyDate(),
                    instance.studyTime(), instance.accessionNumber(), instance.issuerOfAccessionNumber(),
                    instance.studyId(), instance.studyDescription(),
                    instance.referringPhysicianName(), instance.referringPhysicianName());
            jdbc.update("""
                    INSERT INTO series (series_uid, study_uid, modality, series_number, series_description,
                        series_date, series_time, performed_start_date, performed_start_time)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (series_uid) DO UPDATE SET
                        study_uid = excluded.study_uid, modality = excluded.modality,
                        series_number = excluded.series_number, series_description = excluded.series_description,
                        series_date = excluded.series_date, series_time = excluded.series_time,
                        performed_start_date = excluded.performed_start_date,
                        performed_start_time = excluded.performed_start_time
                    """,
                    instance.seriesUid(), instance.studyUid(), instance.modality(), instance.seriesNumber(),
                    instance.seriesDescription(), instance.seriesDate(), instance.seriesTime(),
                    instance.performedStartDate(), instance.performedStartTime());
            List<String> previous = jdbc.queryForList(
                    "SELECT storage_key FROM instance WHERE sop_instance_uid = ? FOR UPDATE",
                    String.class, instance.sopInstanceUid());
            jdbc.update("""
                    INSERT INTO instance (sop_instance_uid, series_uid, study_uid, sop_class_uid, instance_number,
                        transfer_syntax_uid, rows, columns, number_of_frames, bits_allocated, storage_key,
                        size_bytes, sha256, attributes)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                    ON CONFLICT (sop_instance_uid) DO UPDATE SET
                        series_uid = excluded.series_uid, study_uid = excluded.study_uid,
                        sop_class_uid = excluded.sop_class_uid, instance_number = excluded.instance_number,
                        transfer_syntax_uid = excluded.transfer_syntax_uid, rows = excluded.rows,
                        columns = excluded.columns, number_of_frames = excluded.number_of_frames,
                        bits_allocated = excluded.bits_allocated, storage_key = excluded.storage_key,
                        size_bytes = excluded.size_bytes, sha256 = excluded.sha256,
                        attributes = excluded.attributes, stored_at = now()
                    """,
                    instance.sopInstanceUid(), instance.seriesUid(), instance.studyUid(), instance.sopClassUid(),
                    instance.instanceNumber(), instance.transferSyntaxUid(), instance.rows(), instance.columns(),
                    instance.numberOfFrames(), instance.bitsAllocated(), storageKey, size, sha256,
                    instance.attributesJson());
            recordChange(previous.isEmpty() ? "create" : "update",
                    instance.studyUid(), instance.seriesUid(), instance.sopInstanceUid());
            if (!previous.isEmpty()) {
                // A replaced instance may have moved to another series or study: drop what is now empty.
                deleteEmptySeriesAndStudies();
            }
            return previous.stream().filter(key -> !key.equals(storageKey)).findFirst();
        });
    }

    /**
     * Removes the index rows of a study, or of one series or instance of it, in one transaction
     * (and a series or study left empty). Returns the rows removed; their stored objects are for
     * the caller to delete after this commit (a crash in between leaves unindexed files, which
     * the start-up repair, {@code store.StoreReconciliation}, removes).
     */
    public List<IndexedInstance> delete(String studyUid, String seriesUid, String sopInstanceUid) {
        return transactions.execute(status -> {
            List<IndexedInstance> doomed = instances(studyUid, seriesUid, sopInstanceUid);
            for (IndexedInstance instance : doomed) {
                jdbc.update("DELETE FROM instance WHERE sop_instance_uid = ?", instance.sopInstanceUid());
                recordChange("delete", instance.studyUid(), instance.seriesUid(), instance.sopInstanceUid());
            }
            if (!doomed.isEmpty()) {
                jdbc.update("DELETE FROM series se WHERE se.study_uid = ? AND NOT EXISTS"
                        + " (SELECT 1 FROM instance i WHERE i.series_uid = se.series_uid)", studyUid);
                jdbc.update("DELETE FROM study s WHERE s.study_uid = ? AND NOT EXISTS"
                        + " (SELECT 1 FROM series se WHERE se.study_uid = s.study_uid)", studyUid);
            }
            return doomed;
        });
    }

    /** Every storage key an instance row points to (for the start-up repair of store and index). */
    public Set<String> storageKeys() {
        return new HashSet<>(jdbc.queryForList("SELECT storage_key FROM instance", String.class));
    }

    /**
     * Drops the instance rows whose stored object is gone, in one transaction, with the series and
     * studies left empty; each removal is a delete in the change feed.
     */
    public void dropRowsOf(String storageKey) {
        transactions.executeWithoutResult(status -> {
            jdbc.query("DELETE FROM instance WHERE storage_key = ? RETURNING study_uid, series_uid, sop_instance_uid",
                    (RowCallbackHandler) row -> recordChange("delete", row.getString(1), row.getString(2),
                            row.getString(3)), storageKey);
            deleteEmptySeriesAndStudies();
        });
    }

    /**
     * Appends a row to the change feed (V2) in the caller's transaction. The advisory lock, held
     * until commit, makes feed writers commit in sequence order: a reader that has seen sequence n
     * can never later find a smaller one appear, so paging by sequence misses nothing.
     */
    private void recordChange(String action, String studyUid, String seriesUid, String sopInstanceUid) {
        jdbc.query("SELECT pg_advisory_xact_lock(hashtext('dicomweb.change_feed'))", (RowCallbackHandler) row -> {});
        // What the instance was before is replaced (by an update) or deleted now.
        jdbc.update("UPDATE change_feed SET state = ? WHERE sop_instance_uid = ? AND state = 'current'",
                action.equals("delete") ? "deleted" : "replaced", sopInstanceUid);
        jdbc.update("INSERT INTO change_feed (action, study_uid, series_uid, sop_instance_uid, state) VALUES (?, ?, ?, ?, ?)",
                action, studyUid, seriesUid, sopInstanceUid, action.equals("delete") ? "deleted" : "current");
    }

    private void deleteEmptySeriesAndStudies() {
        jdbc.update("DELETE FROM series se WHERE NOT EXISTS (SELECT 1 FROM instance i WHERE i.series_uid = se.series_uid)");
        jdbc.update("DELETE FROM study s WHERE NOT EXISTS (SELECT 1 FROM series se WHERE se.study_uid = s.study_uid)");
    }

    @Override
    public void close() {
        if (dataSource instanceof HikariDataSource pool) {
            pool.close();
        }
    }
}
