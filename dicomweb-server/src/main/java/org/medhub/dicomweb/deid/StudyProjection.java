package org.medhub.dicomweb.deid;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.medhub.dicomweb.index.DicomIndex;
import org.medhub.dicomweb.web.DicomJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The researcher's view of each study's matching keys, kept in {@code dicomweb.deid_study} (Flyway
 * V5): PatientName, PatientID, StudyDate, StudyDescription, ... as the research profile answers them
 * in a QIDO-RS study row, so that a researcher's search matches what they see and never an original
 * value. Dates move by a per-patient number of days, so a range on shifted dates cannot be turned
 * into one range on the real dates: the shifted values are stored. A row is recomputed when its
 * study changed since ({@code study.updated_at}, which every stored instance touches) or when the
 * view did (another profile definition or key: another {@link #name}).
 */
final class StudyProjection {

    /** Bump when what a row holds or how it is computed changes: every row is then recomputed. */
    private static final int VERSION = 1;
    private static final int BATCH = 200;
    private static final Logger log = LoggerFactory.getLogger(StudyProjection.class);

    /** A study attribute the projection holds: its tag and VR, its column in {@code study} and in {@code deid_study}. */
    private record Key(String keyword, String tag, String vr, String indexColumn, String column) {

        boolean personName() {
            return vr.equals("PN");
        }
    }

    private static final List<Key> KEYS = List.of(
            new Key("PatientName", "00100010", "PN", "patient_name", "patient_name_upper"),
            new Key("PatientID", "00100020", "LO", "patient_id", "patient_id"),
            new Key("PatientBirthDate", "00100030", "DA", "patient_birth_date", "patient_birth_date"),
            new Key("PatientSex", "00100040", "CS", "patient_sex", "patient_sex"),
            new Key("StudyDate", "00080020", "DA", "study_date", "study_date"),
            new Key("StudyTime", "00080030", "TM", "study_time", "study_time"),
            new Key("AccessionNumber", "00080050", "SH", "accession_number", "accession_number"),
            new Key("StudyID", "00200010", "SH", "study_id", "study_id"),
            new Key("StudyDescription", "00081030", "LO", "study_description", "study_description"),
            new Key("ReferringPhysicianName", "00080090", "PN", "referring_physician_name", "referring_physician_upper"));

    private final JdbcTemplate jdbc;
    private final String project;
    private final String name;
    /** Whether the rows of the project's earlier views are gone (done once, at the first refresh). */
    private boolean earlierViewsForgotten;

    /**
     * @param namespace the pseudonyms' namespace (project and key id)
     */
    StudyProjection(JdbcTemplate jdbc, DeidProfile profile, String namespace, String tableEdition) {
        this.jdbc = jdbc;
        this.project = profile.project();
        this.name = namespace + "#" + fingerprint(profile, tableEdition);
    }

    /** The projection's name in {@code deid_study.projection}: project, key id, and what the profile does. */
    String name() {
        return name;
    }

    /**
     * Matching keys (keyword and tag) to the column of the joined projection (alias {@code d}) that
     * holds what the researcher sees; person names there are upper-cased.
     */
    static Map<String, String> columns() {
        Map<String, String> columns = new LinkedHashMap<>();
        for (Key key : KEYS) {
            columns.put(key.keyword(), "d." + key.column());
            columns.put(key.tag(), "d." + key.column());
        }
        return columns;
    }

    /** The keywords of the projected keys, for messages. */
    static List<String> keywords() {
        return KEYS.stream().map(Key::keyword).toList();
    }

    /**
     * Recomputes the rows of studies stored or changed since they were computed (cheap when none
     * were: one anti-join on the study table). {@code project} is the researcher's projection of a
     * QIDO-RS data set of the study, the same one answers go through.
     */
    synchronized int refresh(Function<String, PatientIdentity> identities, Projector project) {
        String schema = DicomIndex.SCHEMA;
        if (!earlierViewsForgotten) {
            jdbc.update("DELETE FROM " + schema + ".deid_study WHERE split_part(projection, '#', 1) = ? AND projection <> ?",
                    this.project, name);
            earlierViewsForgotten = true;
        }
        String columns = KEYS.stream().map(key -> "s." + key.indexColumn()).collect(Collectors.joining(", "));
        int refreshed = 0;
        while (true) {
            record Stale(String study, OffsetDateTime updatedAt, ObjectNode dataset) {}
            List<Stale> stale = jdbc.query("SELECT s.study_uid, s.updated_at, " + columns + " FROM " + schema + ".study s"
                    + " LEFT JOIN " + schema + ".deid_study d ON d.projection = ? AND d.study_uid = s.study_uid"
                    + " WHERE d.study_uid IS NULL OR d.source_updated_at <> s.updated_at ORDER BY s.study_uid LIMIT ?",
                    (row, n) -> {
                        // The study row as a QIDO-RS study result has it (QidoController), before projection.
                        ObjectNode dataset = DicomJson.dataset();
                        for (int i = 0; i < KEYS.size(); i++) {
                            DicomJson.string(dataset, KEYS.get(i).tag(), KEYS.get(i).vr(), row.getString(3 + i));
                        }
                        return new Stale(row.getString(1), row.getObject(2, OffsetDateTime.class), dataset);
                    }, name, BATCH);
            List<Object[]> rows = new ArrayList<>();
            for (Stale study : stale) {
                project.project(study.dataset(), identities.apply(study.study()));
                rows.add(row(study.study(), study.updatedAt(), new JsonDataset(study.dataset())));
            }
            int written = upsert(rows);
            refreshed += written;
            if (stale.size() < BATCH || written == 0) {
                return refreshed;
            }
        }
    }

    private Object[] row(String study, OffsetDateTime updatedAt, JsonDataset projected) {
        List<Object> values = new ArrayList<>(List.of(name, study, updatedAt));
        for (Key key : KEYS) {
            int tag = Integer.parseUnsignedInt(key.tag(), 16);
            List<String> seen = projected.tags().contains(tag) ? projected.strings(tag) : List.of();
            String value = seen.isEmpty() ? null : String.join("\\", seen);
            values.add(value != null && key.personName() ? value.toUpperCase(Locale.ROOT) : value);
        }
        return values.toArray();
    }

    private int upsert(List<Object[]> rows) {
        if (rows.isEmpty()) {
            return 0;
        }
        String columns = KEYS.stream().map(Key::column).collect(Collectors.joining(", "));
        String sql = "INSERT INTO " + DicomIndex.SCHEMA + ".deid_study (projection, study_uid, source_updated_at, " + columns
                + ") VALUES (?, ?, ?" + ", ?".repeat(KEYS.size()) + ") ON CONFLICT (projection, study_uid) DO UPDATE SET"
                + " source_updated_at = excluded.source_updated_at, "
                + KEYS.stream().map(key -> key.column() + " = excluded." + key.column()).collect(Collectors.joining(", "));
        try {
            jdbc.batchUpdate(sql, rows);
            return rows.size();
        } catch (DataIntegrityViolationException e) {
            // A study deleted since it was read: write the others one by one.
            int written = 0;
            for (Object[] row : rows) {
                try {
                    written += jdbc.update(sql, row);
                } catch (DataIntegrityViolationException gone) {
                    log.debug("study deleted while its projection was computed");
                }
            }
            return written;
        }
    }

    /**
     * What the profile does, in a stable form (a profile's sets and maps have no fixed order): a
     * changed profile or table edition makes another projection, computed afresh.
     */
    private static String fingerprint(DeidProfile profile, String tableEdition) {
        String definition = String.join("|", "v" + VERSION, tableEdition, profile.name(),
                new TreeSet<>(profile.options().stream().map(Enum::name).toList()).toString(),
                Integer.toString(profile.maxDateShiftDays()), new TreeSet<>(profile.safePrivate()).toString(),
                new TreeMap<>(profile.overrides()).toString());
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(definition.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The researcher's projection of a data set of a study (in place). */
    @FunctionalInterface
    interface Projector {
        void project(ObjectNode dataset, PatientIdentity identity);
    }
}
