package org.medhub.dicomweb.deid;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.medhub.dicomweb.deid.ActionCode.Action;
import org.medhub.dicomweb.dicom.DicomDataset;

/**
 * Applies a profile to one object (PS3.15 Annex E): every attribute of Table E.1-1, in nested
 * sequences too, private attributes, UIDs, the patient's identity and dates, and burned-in text by
 * the pixel rules; then records what was done (PatientIdentityRemoved, DeidentificationMethod and
 * its CID 7050 codes, LongitudinalTemporalInformationModified). Thread-safe and immutable.
 */
public final class Deidentifier {

    static final int PATIENT_NAME = 0x00100010;
    static final int PATIENT_ID = 0x00100020;
    static final int ISSUER_OF_PATIENT_ID = 0x00100021;
    static final int PATIENT_BIRTH_DATE = 0x00100030;
    static final int OTHER_PATIENT_IDS = 0x00101000;
    static final int OTHER_PATIENT_NAMES = 0x00101001;
    static final int ACCESSION_NUMBER = 0x00080050;
    static final int MODALITY = 0x00080060;
    static final int MANUFACTURER = 0x00080070;
    static final int MODEL = 0x00081090;
    static final int ROWS = 0x00280010;
    static final int COLUMNS = 0x00280011;
    static final int BURNED_IN_ANNOTATION = 0x00280301;
    static final int PIXEL_DATA = 0x7FE00010;
    static final int ENCAPSULATED_DOCUMENT = 0x00420011;
    static final int PATIENT_IDENTITY_REMOVED = 0x00120062;
    static final int DEIDENTIFICATION_METHOD = 0x00120063;
    static final int DEIDENTIFICATION_METHOD_CODES = 0x00120064;
    static final int LONGITUDINAL_TEMPORAL_MODIFIED = 0x00280303;
    private static final int CODE_VALUE = 0x00080100;
    private static final int CODING_SCHEME = 0x00080102;
    private static final int CODE_MEANING = 0x00080104;

    /** Names of people whose attributes the table does not list still go (see {@link #unlisted}). */
    private static final Set<String> TEXT_VRS = Set.of("PN", "LO", "SH", "ST", "LT", "UT", "UC", "AE", "CS");
    private static final Set<String> DATE_VRS = Set.of("DA", "DT");
    private static final DateTimeFormatter DICOM_DATE = DateTimeFormatter.BASIC_ISO_DATE;
    private static final String DUMMY = "ANONYMIZED";

    private final AttributeTable table;
    private final PixelRules pixelRules;
    private final String secret;

    public Deidentifier(AttributeTable table, PixelRules pixelRules, String secret) {
        this.table = table;
        this.pixelRules = pixelRules;
        this.secret = secret;
    }

    public AttributeTable table() {
        return table;
    }

    /** The consistent replacements of a profile (to map pseudonymous values back by lookup). */
    public Pseudonyms pseudonyms(DeidProfile profile) {
        return new Pseudonyms(secret, profile.project());
    }

    /**
     * De-identifies the data set in place, cleaning free text of the identity the data set itself
     * names (a whole object: the STOW route's profile).
     *
     * @return whether the object may be released, and why not
     */
    public Outcome deidentify(DicomDataset dataset, DeidProfile profile) {
        return deidentify(dataset, profile, PatientIdentity.UNKNOWN);
    }

    /**
     * As {@link #deidentify(DicomDataset, DeidProfile)} for a data set of a known study (the
     * researcher's view: a whole object, or a part of one such as a series-level QIDO-RS result that
     * lacks the patient's attributes): free text is cleaned of the study's patient identity as well
     * as of what the data set names, and pseudonyms derive from the study's patient when the data
     * set has no PatientID of its own.
     */
    public Outcome deidentify(DicomDataset dataset, DeidProfile profile, PatientIdentity identity) {
        if (dataset.tags().contains(ENCAPSULATED_DOCUMENT)) {
            // A PDF, CDA or other document carries its text (names, IDs, dates) out of reach of the
            // attribute table, which does not list Encapsulated Document: it cannot be cleaned here.
            return new Outcome(false, "an encapsulated document cannot be cleaned of identity", false);
        }
        Run run = new Run(profile, pseudonyms(profile), dataset, identity);
        Optional<String> pixelProblem = cleanPixels(dataset, run);
        if (pixelProblem.isPresent()) {
            return new Outcome(false, pixelProblem.get(), false);
        }
        run.walk(dataset, false);
        run.record(dataset);
        return new Outcome(true, null, run.pixelsCleaned);
    }

    /** Decides on burned-in text before anything else changes the attributes the rules look at. */
    private Optional<String> cleanPixels(DicomDataset dataset, Run run) {
        if (!dataset.tags().contains(PIXEL_DATA)) {
            return Optional.empty();
        }
        String modality = first(dataset, MODALITY);
        Optional<PixelRules.Rule> rule = pixelRules.find(modality, first(dataset, MANUFACTURER), first(dataset, MODEL),
                integer(first(dataset, ROWS)), integer(first(dataset, COLUMNS)));
        if (rule.isPresent()) {
            if (!dataset.blankPixels(rule.get().regions())) {
                return Optional.of("pixel rule " + rule.get().name() + " applies but the pixel data is compressed");
            }
            run.pixelsCleaned = true;
            return Optional.empty();
        }
        String burnedIn = first(dataset, BURNED_IN_ANNOTATION);
        if ("YES".equalsIgnoreCase(burnedIn)) {
            return Optional.of("BurnedInAnnotation is YES and no pixel rule covers the device");
        }
        if (burnedIn == null && (modality == null || !pixelRules.assumeCleanModalities().contains(modality.toUpperCase(Locale.ROOT)))) {
            return Optional.of("BurnedInAnnotation is absent for modality " + modality + " and no pixel rule covers the device");
        }
        return Optional.empty();
    }

    /** The key of a patient known by PatientID (and its issuer, may be null) that pseudonyms derive from. */
    public static String patientKey(String patientId, String issuer) {
        return "id:" + patientId.strip() + "^" + (issuer == null ? "" : issuer.strip());
    }

    private static String first(DicomDataset dataset, int tag) {
        if (!dataset.tags().contains(tag)) {
            return null;
        }
        List<String> values = dataset.strings(tag);
        return values.isEmpty() || values.get(0).isBlank() ? null : values.get(0).strip();
    }

    private static Integer integer(String value) {
        try {
            return value == null ? null : Integer.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * What became of an object: released (with its pixel data blanked by a rule or as it was), or
     * withheld with the reason (for logs and the operator: it names no patient data).
     */
    public record Outcome(boolean released, String withheldBecause, boolean pixelsCleaned) {}

    /** The state of one object's de-identification. */
    private final class Run {

        private final DeidProfile profile;
        private final Pseudonyms pseudonyms;
        private final String patientPseudonym;
        private final int shiftDays;
        private final Pattern identifying;
        private boolean pixelsCleaned;

        Run(DeidProfile profile, Pseudonyms pseudonyms, DicomDataset dataset, PatientIdentity identity) {
            this.profile = profile;
            this.pseudonyms = pseudonyms;
            String key = patientKey(dataset, identity);
            this.patientPseudonym = pseudonyms.patientId(key);
            this.shiftDays = pseudonyms.dateShiftDays(key, profile.maxDateShiftDays());
            this.identifying = identifyingWords(dataset, identity);
        }

        /**
         * The patient as the source knows them: PatientID with its issuer, else the study's patient
         * (a data set without patient attributes), else name and birth date. A data set with the
         * study's PatientID but without IssuerOfPatientID (a QIDO-RS row: the issuer is no default
         * return key) is the study's patient, known with the issuer: the pseudonym and the date shift
         * must not depend on which attributes a request asked for.
         */
        private static String patientKey(DicomDataset dataset, PatientIdentity identity) {
            String id = first(dataset, PATIENT_ID);
            if (id != null) {
                if (!dataset.tags().contains(ISSUER_OF_PATIENT_ID) && identity.key() != null
                        && identity.key().startsWith(Deidentifier.patientKey(id, null))) {
                    return identity.key();
                }
                return Deidentifier.patientKey(id, first(dataset, ISSUER_OF_PATIENT_ID));
            }
            if (identity.key() != null) {
                return identity.key();
            }
            return "name:" + Optional.ofNullable(first(dataset, PATIENT_NAME)).orElse("") + "^"
                    + Optional.ofNullable(first(dataset, PATIENT_BIRTH_DATE)).orElse("");
        }

        /**
         * Words that Clean (C) takes out of free text: the patient's names, identifiers and birth date
         * and the accession number, as the study has them and as this data set has them.
         */
        private static Pattern identifyingWords(DicomDataset dataset, PatientIdentity identity) {
            Set<String> values = new LinkedHashSet<>(identity.values());
            for (int tag : new int[] {PATIENT_NAME, OTHER_PATIENT_NAMES, PATIENT_ID, OTHER_PATIENT_IDS, ACCESSION_NUMBER,
                    PATIENT_BIRTH_DATE}) {
                if (dataset.tags().contains(tag)) {
                    values.addAll(dataset.strings(tag));
                }
            }
            values = PatientIdentity.withDateForms(values);
            Set<String> words = new LinkedHashSet<>();
            for (String value : values) {
                for (String word : value.split("[\\^=\\s,]+")) {
                    if (word.strip().length() >= 2) {
                        words.add(Pattern.quote(word.strip()));
                    }
                }
            }
            return words.isEmpty() ? null
                    : Pattern.compile("(?<![\\p{L}\\p{N}])(" + String.join("|", words) + ")(?![\\p{L}\\p{N}])",
                            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        }

        /** One level; {@code dummy} inside a sequence whose content the profile replaces (D). */
        void walk(DicomDataset level, boolean dummy) {
            List<Integer> privateData = new ArrayList<>();
            List<Integer> privateCreators = new ArrayList<>();
            for (int tag : level.tags()) {
                int group = tag >>> 16;
                if (group == 0x0002 || tag == PIXEL_DATA) {
                    continue; // File Meta Information follows the data set (adapter); pixels are the pixel rules' business
                }
                if (AttributeTable.isPrivate(tag)) {
                    ((tag & 0xFF00) == 0 ? privateCreators : privateData).add(tag);
                    continue;
                }
                AttributeTable.Row row = table.find(tag);
                if (row == null) {
                    unlisted(level, tag, dummy);
                } else if (tag == PATIENT_ID || tag == PATIENT_NAME) {
                    pseudonym(level, tag, profile.actionFor(tag, row).resolved());
                } else {
                    apply(level, tag, profile.actionFor(tag, row).resolved(), dummy);
                }
            }
            privatePart(level, privateData, privateCreators);
        }

        /** The patient keeps one pseudonym as ID and name (Z allows a dummy; a consistent one keeps studies together). */
        private void pseudonym(DicomDataset level, int tag, Action action) {
            if (action != Action.K) {
                level.put(tag, level.vr(tag), List.of(patientPseudonym));
            }
        }

        /**
         * Attributes the table does not list are kept, as the standard says, with two hardening rules
         * for what the table cannot foresee: names of people (PN) are emptied and dates follow the
         * profile's date handling (shifted, kept or emptied).
         */
        private void unlisted(DicomDataset level, int tag, boolean dummy) {
            String vr = level.vr(tag);
            if ("SQ".equals(vr)) {
                level.items(tag).forEach(item -> walk(item, dummy));
            } else if ("PN".equals(vr)) {
                level.put(tag, vr, List.of());
            } else if (DATE_VRS.contains(vr)) {
                datesUnlisted(level, tag, vr);
            } else if (dummy && TEXT_VRS.contains(vr) && !level.strings(tag).isEmpty()) {
                level.put(tag, vr, List.of(DUMMY));
            }
        }

        private void datesUnlisted(DicomDataset level, int tag, String vr) {
            if (profile.has(DeidOption.RETAIN_LONGITUDINAL_MODIFIED_DATES)) {
                shift(level, tag, vr);
            } else if (!profile.has(DeidOption.RETAIN_LONGITUDINAL_FULL_DATES)) {
                level.put(tag, vr, List.of());
            }
        }

        private void apply(DicomDataset level, int tag, Action action, boolean dummy) {
            String vr = level.vr(tag);
            boolean sequence = "SQ".equals(vr);
            switch (action) {
                case X -> level.remove(tag);
                case Z -> {
                    if (sequence) {
                        level.putSequence(tag, 0);
                    } else {
                        level.put(tag, vr, List.of());
                    }
                }
                case D -> {
                    if (sequence) {
                        level.items(tag).forEach(item -> walk(item, true));
                    } else if ("UI".equals(vr)) {
                        replaceUids(level, tag);
                    } else {
                        level.put(tag, vr, List.of(dummyValue(vr)));
                    }
                }
                case K -> {
                    if (sequence) {
                        level.items(tag).forEach(item -> walk(item, dummy));
                    } else if (!profile.overrides().containsKey(tag)) {
                        // A Retain option keeps what describes (PS3.15 E.3.x: characteristics, device,
                        // institution), never the patient's name or ID typed into it; a site override
                        // K is the operator's explicit choice to keep the value verbatim.
                        cleanText(level, tag, vr);
                    }
                }
                case C -> clean(level, tag, vr, dummy);
                case U -> {
                    if (sequence) {
                        level.items(tag).forEach(item -> walk(item, dummy));
                    } else if ("UI".equals(vr)) {
                        replaceUids(level, tag);
                    }
                }
            }
        }

        private void clean(DicomDataset level, int tag, String vr, boolean dummy) {
            if ("SQ".equals(vr)) {
                level.items(tag).forEach(item -> walk(item, dummy));
            } else if (DATE_VRS.contains(vr) && profile.has(DeidOption.RETAIN_LONGITUDINAL_MODIFIED_DATES)) {
                shift(level, tag, vr);
            } else {
                cleanText(level, tag, vr);
            }
        }

        /** The patient's names, identifiers and birth date in free text replaced by {@code *}. */
        private void cleanText(DicomDataset level, int tag, String vr) {
            if (TEXT_VRS.contains(vr) && identifying != null) {
                List<String> values = level.strings(tag);
                List<String> cleaned = new ArrayList<>();
                for (String value : values) {
                    cleaned.add(identifying.matcher(value).replaceAll("*"));
                }
                if (!cleaned.equals(values)) {
                    level.put(tag, vr, cleaned);
                }
            }
        }

        /** Modified Dates: every date of the patient moves back by the same days, so intervals stay true; times stay. */
        private void shift(DicomDataset level, int tag, String vr) {
            List<String> shifted = new ArrayList<>();
            for (String value : level.strings(tag)) {
                String trimmed = value.strip();
                if (trimmed.length() < 8) {
                    continue;
                }
                try {
                    String date = LocalDate.parse(trimmed.substring(0, 8), DICOM_DATE).minusDays(shiftDays).format(DICOM_DATE);
                    shifted.add("DA".equals(vr) ? date : date + trimmed.substring(8));
                } catch (DateTimeParseException e) {
                    // an unreadable date cannot be shifted; dropped rather than kept
                }
            }
            level.put(tag, vr, shifted);
        }

        private void replaceUids(DicomDataset level, int tag) {
            List<String> replaced = new ArrayList<>();
            for (String uid : level.strings(tag)) {
                if (!uid.isBlank()) {
                    replaced.add(pseudonyms.uid(uid.strip()));
                }
            }
            level.put(tag, "UI", replaced);
        }

        private static String dummyValue(String vr) {
            return switch (vr) {
                case "DA" -> "19000101";
                case "TM" -> "000000";
                case "DT" -> "19000101000000";
                case "AS" -> "000D";
                case "DS", "IS", "US", "SS", "UL", "SL", "FL", "FD", "UV", "SV" -> "0";
                default -> DUMMY;
            };
        }

        /** Private attributes go, except with Retain Safe Private those on the profile's safe list (and their creators). */
        private void privatePart(DicomDataset level, List<Integer> data, List<Integer> creators) {
            Set<Integer> keptBlocks = new HashSet<>();
            for (int tag : data) {
                if (profile.isSafePrivate(level.privateCreator(tag), tag)) {
                    keptBlocks.add((tag & 0xFFFF0000) | ((tag >>> 8) & 0xFF));
                    if ("SQ".equals(level.vr(tag))) {
                        level.items(tag).forEach(item -> walk(item, false));
                    }
                } else {
                    level.remove(tag);
                }
            }
            for (int creator : creators) {
                if (!keptBlocks.contains(creator)) {
                    level.remove(creator);
                }
            }
        }

        /** PS3.15 E.1.1 / PS3.3 C.12.1.1.7: what was done, in the object. */
        void record(DicomDataset dataset) {
            dataset.put(PATIENT_IDENTITY_REMOVED, "CS", List.of("YES"));
            dataset.put(DEIDENTIFICATION_METHOD, "LO",
                    List.of("MedHub profile " + profile.name() + " (PS3.15 " + table.edition() + " Table E.1-1)"));
            List<String[]> codes = new ArrayList<>();
            codes.add(new String[] {DeidOption.BASIC_PROFILE_CODE, DeidOption.BASIC_PROFILE_MEANING});
            for (DeidOption option : DeidOption.values()) {
                boolean applied = option == DeidOption.CLEAN_PIXEL_DATA ? pixelsCleaned : profile.has(option);
                if (applied) {
                    codes.add(new String[] {option.code(), option.meaning()});
                }
            }
            List<DicomDataset> items = dataset.putSequence(DEIDENTIFICATION_METHOD_CODES, codes.size());
            for (int i = 0; i < codes.size(); i++) {
                items.get(i).put(CODE_VALUE, "SH", List.of(codes.get(i)[0]));
                items.get(i).put(CODING_SCHEME, "SH", List.of("DCM"));
                items.get(i).put(CODE_MEANING, "LO", List.of(codes.get(i)[1]));
            }
            String temporal = profile.has(DeidOption.RETAIN_LONGITUDINAL_FULL_DATES) ? "UNMODIFIED"
                    : profile.has(DeidOption.RETAIN_LONGITUDINAL_MODIFIED_DATES) ? "MODIFIED" : "REMOVED";
            dataset.put(LONGITUDINAL_TEMPORAL_MODIFIED, "CS", List.of(temporal));
            if (pixelsCleaned) {
                dataset.put(BURNED_IN_ANNOTATION, "CS", List.of("NO"));
            }
        }
    }
}
