package org.medhub.dicomweb.qido;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The attributes the index answers from its columns: the QIDO-RS matching keys and return
 * attributes of PS3.18 Tables 10.6.1-5 and 10.6.3-3 to -5.
 */
enum QueryAttribute {
    STUDY_DATE("StudyDate", "00080020", "DA", QueryLevel.STUDY, "s.study_date", Matching.DATE, true),
    STUDY_TIME("StudyTime", "00080030", "TM", QueryLevel.STUDY, "s.study_time", Matching.DATE, true),
    ACCESSION_NUMBER("AccessionNumber", "00080050", "SH", QueryLevel.STUDY, "s.accession_number", Matching.TEXT, true),
    INSTANCE_AVAILABILITY("InstanceAvailability", "00080056", "CS", QueryLevel.STUDY, "'ONLINE'", Matching.NONE, true),
    MODALITIES_IN_STUDY("ModalitiesInStudy", "00080061", "CS", QueryLevel.STUDY, "modalities_in_study", Matching.MODALITIES, true),
    REFERRING_PHYSICIAN_NAME("ReferringPhysicianName", "00080090", "PN", QueryLevel.STUDY, "s.referring_physician_name", Matching.PERSON_NAME, true),
    STUDY_DESCRIPTION("StudyDescription", "00081030", "LO", QueryLevel.STUDY, "s.study_description", Matching.TEXT, true),
    PATIENT_NAME("PatientName", "00100010", "PN", QueryLevel.STUDY, "s.patient_name", Matching.PERSON_NAME, true),
    PATIENT_ID("PatientID", "00100020", "LO", QueryLevel.STUDY, "s.patient_id", Matching.TEXT, true),
    ISSUER_OF_PATIENT_ID("IssuerOfPatientID", "00100021", "LO", QueryLevel.STUDY, "s.issuer_of_patient_id", Matching.TEXT, false),
    PATIENT_BIRTH_DATE("PatientBirthDate", "00100030", "DA", QueryLevel.STUDY, "s.patient_birth_date", Matching.DATE, true),
    PATIENT_SEX("PatientSex", "00100040", "CS", QueryLevel.STUDY, "s.patient_sex", Matching.TEXT, true),
    STUDY_INSTANCE_UID("StudyInstanceUID", "0020000D", "UI", QueryLevel.STUDY, "s.study_uid", Matching.UID_LIST, true),
    STUDY_ID("StudyID", "00200010", "SH", QueryLevel.STUDY, "s.study_id", Matching.TEXT, true),
    NUMBER_OF_STUDY_RELATED_SERIES("NumberOfStudyRelatedSeries", "00201206", "IS", QueryLevel.STUDY, "study_series_count", Matching.NONE, true),
    NUMBER_OF_STUDY_RELATED_INSTANCES("NumberOfStudyRelatedInstances", "00201208", "IS", QueryLevel.STUDY, "study_instance_count", Matching.NONE, true),

    MODALITY("Modality", "00080060", "CS", QueryLevel.SERIES, "se.modality", Matching.TEXT, true),
    SERIES_DATE("SeriesDate", "00080021", "DA", QueryLevel.SERIES, "se.series_date", Matching.DATE, false),
    SERIES_TIME("SeriesTime", "00080031", "TM", QueryLevel.SERIES, "se.series_time", Matching.DATE, false),
    SERIES_DESCRIPTION("SeriesDescription", "0008103E", "LO", QueryLevel.SERIES, "se.series_description", Matching.TEXT, true),
    SERIES_INSTANCE_UID("SeriesInstanceUID", "0020000E", "UI", QueryLevel.SERIES, "se.series_uid", Matching.UID_LIST, true),
    SERIES_NUMBER("SeriesNumber", "00200011", "IS", QueryLevel.SERIES, "se.series_number", Matching.TEXT, true),
    NUMBER_OF_SERIES_RELATED_INSTANCES("NumberOfSeriesRelatedInstances", "00201209", "IS", QueryLevel.SERIES, "series_instance_count", Matching.NONE, true),
    PERFORMED_START_DATE("PerformedProcedureStepStartDate", "00400244", "DA", QueryLevel.SERIES, "se.performed_start_date", Matching.DATE, true),
    PERFORMED_START_TIME("PerformedProcedureStepStartTime", "00400245", "TM", QueryLevel.SERIES, "se.performed_start_time", Matching.DATE, true),

    SOP_CLASS_UID("SOPClassUID", "00080016", "UI", QueryLevel.INSTANCE, "i.sop_class_uid", Matching.UID_LIST, true),
    SOP_INSTANCE_UID("SOPInstanceUID", "00080018", "UI", QueryLevel.INSTANCE, "i.sop_instance_uid", Matching.UID_LIST, true),
    INSTANCE_NUMBER("InstanceNumber", "00200013", "IS", QueryLevel.INSTANCE, "i.instance_number", Matching.TEXT, true),
    NUMBER_OF_FRAMES("NumberOfFrames", "00280008", "IS", QueryLevel.INSTANCE, "i.number_of_frames", Matching.NONE, true),
    ROWS("Rows", "00280010", "US", QueryLevel.INSTANCE, "i.rows", Matching.NONE, true),
    COLUMNS("Columns", "00280011", "US", QueryLevel.INSTANCE, "i.columns", Matching.NONE, true),
    BITS_ALLOCATED("BitsAllocated", "00280100", "US", QueryLevel.INSTANCE, "i.bits_allocated", Matching.NONE, true);

    /** How a matching key's value is compared (PS3.4 C.2.2.2). */
    enum Matching {
        /** Return attribute only. */
        NONE,
        /** List of UIDs (comma or backslash separated). */
        UID_LIST,
        /** Single value, with {@code *} and {@code ?} wildcards. */
        TEXT,
        /** Like TEXT, case-insensitive (PS3.18 8.3.4.6: person names). */
        PERSON_NAME,
        /** Single value or range {@code a-b}, {@code -b}, {@code a-}. */
        DATE,
        /** ModalitiesInStudy: studies with a series of any of the listed modalities. */
        MODALITIES
    }

    final String keyword;
    final String tag;
    final String vr;
    final QueryLevel level;
    /** SQL expression or result column label holding the value. */
    final String column;
    final Matching matching;
    /** Returned by default at its level. */
    final boolean returnedByDefault;

    QueryAttribute(String keyword, String tag, String vr, QueryLevel level, String column, Matching matching,
            boolean returnedByDefault) {
        this.keyword = keyword;
        this.tag = tag;
        this.vr = vr;
        this.level = level;
        this.column = column;
        this.matching = matching;
        this.returnedByDefault = returnedByDefault;
    }

    /** Looks an attribute up by keyword or by tag ({@code 00100010}, any case). */
    static Optional<QueryAttribute> of(String keyOrTag) {
        String upper = keyOrTag.toUpperCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(a -> a.keyword.equals(keyOrTag) || a.tag.equals(upper))
                .findFirst();
    }

    /** The result column label a value is read from. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
