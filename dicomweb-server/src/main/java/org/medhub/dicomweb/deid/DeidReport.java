package org.medhub.dicomweb.deid;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * What a profile does to each attribute, for a privacy officer: every row of Table E.1-1 with the
 * Basic Profile's action, the profile's action and where it comes from (table, option, override),
 * and the rules for what the table does not list. Made from the same data the engine applies.
 */
final class DeidReport {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private DeidReport() {}

    static ObjectNode of(DeidProfile profile, AttributeTable table, PixelRules pixelRules) {
        ObjectNode report = JSON.objectNode();
        report.put("profile", profile.name());
        report.put("description", profile.description());
        report.put("standard", "DICOM PS3.15 Annex E, Table E.1-1, edition " + table.edition());
        report.put("pseudonymNamespace", profile.project());
        ArrayNode methods = report.putArray("deidentificationMethodCodes");
        methods.addObject().put("code", DeidOption.BASIC_PROFILE_CODE).put("meaning", DeidOption.BASIC_PROFILE_MEANING);
        for (DeidOption option : DeidOption.values()) {
            if (profile.has(option)) {
                methods.addObject().put("code", option.code()).put("meaning", option.meaning());
            }
        }
        ArrayNode attributes = report.putArray("attributes");
        for (AttributeTable.Row row : table.rows()) {
            ActionCode action = actionOf(profile, row);
            ObjectNode line = attributes.addObject();
            line.put("tag", row.tag());
            line.put("name", row.name());
            line.put("basicProfile", row.basic().code());
            line.put("action", action.code());
            line.put("appliedAs", action.resolved().name());
            line.put("because", because(profile, row, action));
        }
        ObjectNode rules = report.putObject("rules");
        rules.put("patientIdAndName", "replaced by one pseudonym per patient (keyed HMAC of PatientID and issuer), the same in every object of the namespace");
        rules.put("uids", "U: replaced by 2.25 UIDs derived from a keyed HMAC of the original (the same original always gives the same UID)");
        rules.put("dates", profile.has(DeidOption.RETAIN_LONGITUDINAL_MODIFIED_DATES)
                ? "C: moved back by 1.." + profile.maxDateShiftDays() + " days, one offset per patient; times kept"
                : profile.has(DeidOption.RETAIN_LONGITUDINAL_FULL_DATES) ? "kept" : "as the table says");
        rules.put("unlistedAttributes", "kept, except person names (PN: emptied) and dates (DA, DT: handled as listed dates)");
        rules.put("privateAttributes", profile.has(DeidOption.RETAIN_SAFE_PRIVATE)
                ? "removed except " + profile.safePrivate() : "removed");
        rules.put("cleanText", "C on text, and text a Retain option keeps (K, not a site override): the patient's names,"
                + " identifiers and birth date and the accession number, as the study's objects and this one name them, are replaced by *");
        rules.put("pixelData", "blanked by " + pixelRules.rules().size() + " device rule(s); images with BurnedInAnnotation YES, or absent"
                + " outside " + pixelRules.assumeCleanModalities() + ", and no rule are withheld");
        return report;
    }

    private static ActionCode actionOf(DeidProfile profile, AttributeTable.Row row) {
        return row.tag().matches("[0-9A-F]{8}") ? profile.actionFor(Integer.parseUnsignedInt(row.tag(), 16), row) : profile.actionFor(-1, row);
    }

    private static String because(DeidProfile profile, AttributeTable.Row row, ActionCode action) {
        if (row.tag().matches("[0-9A-F]{8}") && profile.overrides().containsKey(Integer.parseUnsignedInt(row.tag(), 16))) {
            return "site override";
        }
        for (Map.Entry<DeidOption, ActionCode> option : row.options().entrySet()) {
            if (profile.has(option.getKey()) && option.getValue().equals(action)) {
                return option.getKey().meaning();
            }
        }
        return "Basic Profile";
    }
}
