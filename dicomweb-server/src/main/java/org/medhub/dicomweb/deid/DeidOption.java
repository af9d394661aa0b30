package org.medhub.dicomweb.deid;

import java.util.Locale;

/**
 * The options of the Basic Application Level Confidentiality Profile (PS3.15 E.3), each with the
 * column of Table E.1-1 that holds its actions and its code from CID 7050 "De-identification
 * Method", which de-identified objects list in DeidentificationMethodCodeSequence.
 */
public enum DeidOption {
    RETAIN_SAFE_PRIVATE("safe_private", "113111", "Retain Safe Private Option"),
    RETAIN_UIDS("uids", "113110", "Retain UIDs Option"),
    RETAIN_DEVICE_IDENTITY("device", "113109", "Retain Device Identity Option"),
    RETAIN_INSTITUTION_IDENTITY("institution", "113112", "Retain Institution Identity Option"),
    RETAIN_PATIENT_CHARACTERISTICS("patient_chars", "113108", "Retain Patient Characteristics Option"),
    RETAIN_LONGITUDINAL_FULL_DATES("full_dates", "113106", "Retain Longitudinal Temporal Information Full Dates Option"),
    RETAIN_LONGITUDINAL_MODIFIED_DATES("modified_dates", "113107", "Retain Longitudinal Temporal Information Modified Dates Option"),
    CLEAN_DESCRIPTORS("clean_desc", "113105", "Clean Descriptors Option"),
    CLEAN_STRUCTURED_CONTENT("clean_struct", "113104", "Clean Structured Content Option"),
    CLEAN_GRAPHICS("clean_graph", "113103", "Clean Graphics Option"),
    /** Has no column: its rules are pixel regions (see {@link PixelRules}), not attribute actions. */
    CLEAN_PIXEL_DATA(null, "113101", "Clean Pixel Data Option");

    /** CID 7050 code of the Basic Profile itself. */
    public static final String BASIC_PROFILE_CODE = "113100";
    public static final String BASIC_PROFILE_MEANING = "Basic Application Confidentiality Profile";

    private final String column;
    private final String code;
    private final String meaning;

    DeidOption(String column, String code, String meaning) {
        this.column = column;
        this.code = code;
        this.meaning = meaning;
    }

    /** The column of Table E.1-1 (as in the project's CSV), or null for Clean Pixel Data. */
    String column() {
        return column;
    }

    public String code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    /** The name profiles use: {@code retain-safe-private}, {@code clean-descriptors}, ... */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static DeidOption fromConfigName(String name) {
        for (DeidOption option : values()) {
            if (option.configName().equals(name)) {
                return option;
            }
        }
        throw new IllegalArgumentException("unknown de-identification option '" + name + "'");
    }
}
