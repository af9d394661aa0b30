package org.medhub.dicomweb.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;

/** Builds attributes of the PS3.18 Annex F JSON model for responses made from the index. */
public final class DicomJson {

    public static final String MEDIA_TYPE = "application/dicom+json";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private DicomJson() {}

    public static ObjectNode dataset() {
        return JSON.objectNode();
    }

    /** Adds a string-valued attribute (or one without value when {@code value} is null). */
    public static void string(ObjectNode dataset, String tag, String vr, String value) {
        ObjectNode element = dataset.putObject(tag);
        element.put("vr", vr);
        if (value != null && !value.isEmpty()) {
            ArrayNode values = element.putArray("Value");
            for (String part : vr.equals("LT") || vr.equals("ST") || vr.equals("UT") || vr.equals("UR")
                    ? new String[] {value} : value.split("\\\\", -1)) {
                if (vr.equals("PN")) {
                    values.addObject().put("Alphabetic", part);
                } else {
                    values.add(part);
                }
            }
        }
    }

    /** Adds an IS, DS, US or UL attribute; a value that is not a number is left out. */
    public static void number(ObjectNode dataset, String tag, String vr, String value) {
        ObjectNode element = dataset.putObject(tag);
        element.put("vr", vr);
        if (value != null && !value.isBlank()) {
            try {
                element.putArray("Value").add(new BigDecimal(value.strip()));
            } catch (NumberFormatException e) {
                element.remove("Value");
            }
        }
    }

    public static void number(ObjectNode dataset, String tag, String vr, long value) {
        dataset.putObject(tag).put("vr", vr).putArray("Value").add(value);
    }

    /** Adds a sequence and returns its item array. */
    public static ArrayNode sequence(ObjectNode dataset, String tag) {
        ObjectNode element = dataset.putObject(tag);
        element.put("vr", "SQ");
        return element.putArray("Value");
    }
}
