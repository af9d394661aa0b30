package org.medhub.dicomweb.deid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.medhub.dicomweb.dicom.DeidentifiedObjects;
import org.medhub.dicomweb.dicom.DicomFormatException;
import org.medhub.dicomweb.index.DicomIndex;
import org.medhub.dicomweb.web.InvalidQueryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * The researcher's view of QIDO-RS and WADO-RS (ARCHITECTURE.md flow 2): the de-identified
 * projection of the stored data under the configured research profile. Queries name pseudonymous
 * UIDs, mapped back to the originals through {@code dicomweb.deid_pseudonym}, and the study's
 * identifying keys as the researcher sees them (pseudonymous PatientName and PatientID, shifted
 * dates, cleaned description), matched against the stored projection ({@link StudyProjection});
 * answers are de-identified, their URLs (RetrieveURL, BulkDataURI) rewritten to pseudonymous UIDs.
 * Matching on any other identifying key is refused, so that no query can test an original value.
 */
public final class ResearcherView {

    /**
     * Matching keys a researcher may use: pseudonymous UIDs (mapped back), the study's keys as
     * projected ({@link StudyProjection#columns}) and non-identifying ones.
     */
    private static final Set<String> UID_KEYS = Set.of("StudyInstanceUID", "0020000D", "SeriesInstanceUID", "0020000E",
            "SOPInstanceUID", "00080018");
    private static final Set<String> FREE_KEYS = Set.of("Modality", "00080060", "ModalitiesInStudy", "00080061",
            "SOPClassUID", "00080016", "SeriesNumber", "00200011", "InstanceNumber", "00200013", "limit", "offset",
            "includefield", "fuzzymatching");
    private static final Pattern URL_UID = Pattern.compile("/(studies|series|instances)/([0-9.]+)");
    private static final Logger log = LoggerFactory.getLogger(ResearcherView.class);
    /**
     * Attributes of the stored instances that name the patient or the study's order: PatientName,
     * PatientID, PatientBirthDate, OtherPatientIDs, OtherPatientNames, OtherPatientIDsSequence,
     * AccessionNumber.
     */
    private static final List<String> IDENTITY_TAGS = List.of("00100010", "00100020", "00100030", "00101000",
            "00101001", "00101002", "00080050");
    private static final Set<String> NOT_VALUES = Set.of("vr", "BulkDataURI", "InlineBinary");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Matches no stored object: what an unknown pseudonym maps to. */
    private static final String NO_MATCH = "0";

    private final JdbcTemplate jdbc;
    private final Deidentifier deidentifier;
    private final DeidProfile profile;
    private final Pseudonyms pseudonyms;
    /**
     * The rows of {@code deid_pseudonym} this view reads and writes: the profile's project under the
     * current key. After a change of key the old rows no longer match, so the old pseudonyms stop
     * finding anything and the new ones are indexed afresh.
     */
    private final String namespace;
    /** Whether the rows of the project's earlier keys are gone (done once, at the first lookup). */
    private boolean earlierKeysForgotten;
    private final StudyProjection projection;

    public ResearcherView(DicomIndex index, Deidentifier deidentifier, DeidProfile profile) {
        this.jdbc = index.jdbc();
        this.deidentifier = deidentifier;
        this.profile = profile;
        this.pseudonyms = deidentifier.pseudonyms(profile);
        this.namespace = profile.project() + "#" + pseudonyms.keyId();
        this.projection = new StudyProjection(jdbc, profile, namespace, deidentifier.table().edition());
    }

    /**
     * Where a researcher's matching key is compared: a column (alias {@code d}) of the study's
     * projection, joined to the study (alias {@code s}) by {@code join}, whose one parameter is
     * {@code argument}; person names there are upper-cased.
     *
     * @param columns matching key (keyword or tag) to its column
     */
    public record ProjectedColumns(String join, String argument, Map<String, String> columns) {}

    public ProjectedColumns projectedColumns() {
        return new ProjectedColumns(" LEFT JOIN " + DicomIndex.SCHEMA + ".deid_study d ON d.projection = ?"
                + " AND d.study_uid = s.study_uid", projection.name(), StudyProjection.columns());
    }

    /**
     * Brings the study projection up to date with the index (studies stored or changed since, a new
     * profile or key); a search that matches on it calls this first, so it never misses a study.
     *
     * @return the number of studies recomputed
     */
    public int refreshProjection() {
        return projection.refresh(this::identity, this::project);
    }

    /** The stored UID a pseudonymous one stands for, or a UID that matches nothing. */
    public String originalUid(String uid) {
        return uid == null ? null : original("uid", uid.strip()).orElse(NO_MATCH);
    }

    /** The query with pseudonymous values replaced by the originals. */
    public MultiValueMap<String, String> originalQuery(MultiValueMap<String, String> query) {
        MultiValueMap<String, String> original = new LinkedMultiValueMap<>();
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            String key = parameter.getKey();
            for (String value : parameter.getValue()) {
                if (UID_KEYS.contains(key)) {
                    List<String> uids = new ArrayList<>();
                    for (String uid : value.split(",")) {
                        uids.add(originalUid(uid));
                    }
                    original.add(key, String.join(",", uids));
                } else if (FREE_KEYS.contains(key) || StudyProjection.columns().containsKey(key)) {
                    original.add(key, value);
                } else {
                    throw new InvalidQueryException("matching on " + key + " is not offered in the de-identified view"
                            + " (pseudonymous UIDs, " + String.join(", ", StudyProjection.keywords())
                            + " as the view shows them, and Modality, ModalitiesInStudy, SOPClassUID, SeriesNumber,"
                            + " InstanceNumber are)");
                }
            }
        }
        return original;
    }

    public <K> Map<K, String> originalScope(Map<K, String> scope) {
        Map<K, String> original = new LinkedHashMap<>();
        scope.forEach((attribute, uid) -> original.put(attribute, originalUid(uid)));
        return original;
    }

    /**
     * The patient identity of a study (stored UID) as the index holds it: the study row's PatientID,
     * issuer, name, birth date and accession number, and what every instance of the study names as
     * its patient (names, IDs, other IDs and names, birth date, accession number). The researcher's
     * projection cleans every answer about the study with all of it (PS3.15 E.3.5), so that text in a
     * part of an object that does not carry the patient's attributes is cleaned all the same.
     */
    public PatientIdentity identity(String studyUid) {
        List<PatientIdentity> found = jdbc.query("SELECT s.patient_id, s.issuer_of_patient_id, s.patient_name,"
                + " s.patient_birth_date, s.accession_number, (SELECT jsonb_agg(DISTINCT jsonb_build_array("
                + IDENTITY_TAGS.stream().map(tag -> "i.attributes->'" + tag + "'").collect(Collectors.joining(", "))
                + "))::text FROM " + DicomIndex.SCHEMA + ".instance i WHERE i.study_uid = s.study_uid)"
                + " FROM " + DicomIndex.SCHEMA + ".study s WHERE s.study_uid = ?", (row, n) -> {
                    Set<String> values = new LinkedHashSet<>();
                    for (int column : new int[] {1, 3, 4, 5}) { // not the issuer: it names the authority, not the patient
                        if (row.getString(column) != null) {
                            values.add(row.getString(column));
                        }
                    }
                    if (row.getString(6) != null) {
                        textValues(readJson(row.getString(6)), values);
                    }
                    String id = row.getString(1);
                    return new PatientIdentity(id == null || id.isBlank() ? null : Deidentifier.patientKey(id, row.getString(2)),
                            values);
                }, studyUid);
        return found.isEmpty() ? PatientIdentity.UNKNOWN : found.get(0);
    }

    /** A QIDO-RS result or metadata data set of a study whose patient is {@code identity}, de-identified, with pseudonymous URLs. */
    public ObjectNode project(ObjectNode dataset, PatientIdentity identity) {
        deidentifier.deidentify(new JsonDataset(dataset), profile, identity);
        rewriteUrls(dataset);
        return dataset;
    }

    /**
     * The de-identified object (PS3.10 bytes) of an indexed instance, or empty when the profile
     * withholds it; a withheld object is flagged in the log by its stored file (content hash), for an
     * operator to add a pixel rule. A stored object that cannot be read again is withheld too: what
     * cannot be checked is not released.
     */
    public Optional<byte[]> object(Path file, PatientIdentity identity) {
        try {
            return DeidentifiedObjects.transform(file, dataset -> {
                Deidentifier.Outcome outcome = deidentifier.deidentify(dataset, profile, identity);
                if (!outcome.released()) {
                    log.warn("Withheld from the de-identified view: {} ({})", file.getFileName(), outcome.withheldBecause());
                }
                return outcome.released();
            });
        } catch (DicomFormatException e) {
            log.warn("Withheld from the de-identified view: {} cannot be read ({})", file.getFileName(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Whether the object is released with its pixel data as stored (no rule changed it), so frames can
     * come from the store; false for an object that cannot be read again, as {@link #object} withholds it.
     */
    public boolean pixelsAsStored(Path file) {
        AtomicReference<Deidentifier.Outcome> outcome = new AtomicReference<>();
        try {
            DeidentifiedObjects.transform(file, dataset -> {
                outcome.set(deidentifier.deidentify(dataset, profile));
                return false; // only the decision is needed, not the bytes
            });
        } catch (DicomFormatException e) {
            return false;
        }
        return outcome.get().released() && !outcome.get().pixelsCleaned();
    }

    /** The same URL with each study, series and instance UID replaced by its pseudonym. */
    public String pseudonymousUrl(String url) {
        Matcher matcher = URL_UID.matcher(url);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(result, "/" + matcher.group(1) + "/" + pseudonyms.uid(matcher.group(2)));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private void rewriteUrls(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode bulk = object.get("BulkDataURI");
            if (bulk != null && bulk.isTextual()) {
                object.set("BulkDataURI", TextNode.valueOf(pseudonymousUrl(bulk.asText())));
            }
            if ("UR".equals(object.path("vr").asText())) {
                JsonNode values = object.path("Value");
                for (int i = 0; i < values.size(); i++) {
                    ((com.fasterxml.jackson.databind.node.ArrayNode) values).set(i, TextNode.valueOf(pseudonymousUrl(values.get(i).asText())));
                }
            }
        }
        node.forEach(this::rewriteUrls);
    }

    /** Every text value in a PS3.18 JSON fragment (person names' components included), not VRs or bulk data. */
    private static void textValues(JsonNode node, Set<String> values) {
        if (node.isTextual()) {
            values.add(node.asText());
        }
        node.fields().forEachRemaining(field -> {
            if (!NOT_VALUES.contains(field.getKey())) {
                textValues(field.getValue(), values);
            }
        });
        if (node.isArray()) {
            node.forEach(element -> textValues(element, values));
        }
    }

    private static JsonNode readJson(String json) {
        try {
            return JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored attributes are not JSON", e);
        }
    }

    private Optional<String> original(String kind, String pseudonym) {
        synchronize();
        return jdbc.queryForList("SELECT original FROM " + DicomIndex.SCHEMA + ".deid_pseudonym WHERE namespace = ? AND kind = ? AND pseudonym = ?",
                String.class, namespace, kind, pseudonym).stream().findFirst();
    }

    /** Indexes the pseudonyms of what was stored since the last look (cheap when nothing was). */
    private synchronized void synchronize() {
        String schema = DicomIndex.SCHEMA;
        if (!earlierKeysForgotten) {
            // A key is replaced when it may have leaked; its map from pseudonyms back to originals must go with it.
            jdbc.update("DELETE FROM " + schema + ".deid_pseudonym WHERE split_part(namespace, '#', 1) = ? AND namespace <> ?",
                    profile.project(), namespace);
            earlierKeysForgotten = true;
        }
        List<String> uids = jdbc.queryForList("SELECT u FROM (SELECT study_uid AS u FROM " + schema + ".study UNION ALL"
                + " SELECT series_uid FROM " + schema + ".series UNION ALL SELECT sop_instance_uid FROM " + schema + ".instance) x"
                + " WHERE NOT EXISTS (SELECT 1 FROM " + schema + ".deid_pseudonym p WHERE p.namespace = ? AND p.kind = 'uid' AND p.original = x.u)",
                String.class, namespace);
        insert("uid", uids.stream().map(uid -> new String[] {pseudonyms.uid(uid), uid}).toList());
    }

    private void insert(String kind, List<String[]> pairs) {
        if (!pairs.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO " + DicomIndex.SCHEMA + ".deid_pseudonym (namespace, kind, pseudonym, original) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT DO NOTHING", pairs.stream().map(p -> new Object[] {namespace, kind, p[0], p[1]}).toList());
        }
    }
}
