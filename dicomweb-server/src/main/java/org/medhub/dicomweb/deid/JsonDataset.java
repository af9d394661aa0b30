package org.medhub.dicomweb.deid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.medhub.dicomweb.dicom.DicomDataset;
import org.medhub.dicomweb.dicom.PixelRegion;

/** The engine's view of a data set in the PS3.18 Annex F JSON model (QIDO-RS results, WADO-RS metadata). */
final class JsonDataset implements DicomDataset {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Set<String> NUMBER_VRS = Set.of("IS", "DS", "US", "SS", "UL", "SL", "FL", "FD", "UV", "SV");

    private final ObjectNode dataset;

    JsonDataset(ObjectNode dataset) {
        this.dataset = dataset;
    }

    private static String key(int tag) {
        return String.format(Locale.ROOT, "%08X", tag);
    }

    @Override
    public List<Integer> tags() {
        List<Integer> tags = new ArrayList<>();
        for (Iterator<String> names = dataset.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.matches("[0-9A-Fa-f]{8}")) {
                tags.add(Integer.parseUnsignedInt(name, 16));
            }
        }
        return tags;
    }

    @Override
    public String vr(int tag) {
        JsonNode element = dataset.get(key(tag));
        return element == null ? null : element.path("vr").asText(null);
    }

    @Override
    public List<String> strings(int tag) {
        List<String> values = new ArrayList<>();
        JsonNode element = dataset.get(key(tag));
        if (element == null || "SQ".equals(vr(tag))) {
            return values;
        }
        for (JsonNode value : element.path("Value")) {
            values.add(value.isObject() ? value.path("Alphabetic").asText("") : value.isNull() ? "" : value.asText());
        }
        return values;
    }

    @Override
    public void put(int tag, String vr, List<String> values) {
        ObjectNode element = JSON.objectNode();
        element.put("vr", vr);
        if (!values.isEmpty()) {
            ArrayNode array = element.putArray("Value");
            for (String value : values) {
                if ("PN".equals(vr)) {
                    array.addObject().put("Alphabetic", value);
                } else if (NUMBER_VRS.contains(vr)) {
                    try {
                        array.add(new BigDecimal(value.strip()));
                    } catch (NumberFormatException e) {
                        array.addNull();
                    }
                } else {
                    array.add(value);
                }
            }
        }
        dataset.set(key(tag), element);
    }

    @Override
    public void remove(int tag) {
        dataset.remove(key(tag));
    }

    @Override
    public List<DicomDataset> items(int tag) {
        List<DicomDataset> items = new ArrayList<>();
        JsonNode element = dataset.get(key(tag));
        if (element != null) {
            for (JsonNode item : element.path("Value")) {
                if (item instanceof ObjectNode object) {
                    items.add(new JsonDataset(object));
                }
            }
        }
        return items;
    }

    @Override
    public List<DicomDataset> putSequence(int tag, int itemCount) {
        ObjectNode element = JSON.objectNode();
        element.put("vr", "SQ");
        List<DicomDataset> items = new ArrayList<>();
        if (itemCount > 0) {
            ArrayNode array = element.putArray("Value");
            for (int i = 0; i < itemCount; i++) {
                items.add(new JsonDataset(array.addObject()));
            }
        }
        dataset.set(key(tag), element);
        return items;
    }

    @Override
    public String privateCreator(int tag) {
        int creator = (tag & 0xFFFF0000) | ((tag >>> 8) & 0xFF);
        List<String> values = strings(creator);
        return values.isEmpty() ? null : values.get(0);
    }

    /** Metadata carries pixel data as a BulkDataURI only; it is cleaned where the object is read. */
    @Override
    public boolean blankPixels(List<PixelRegion> regions) {
        return false;
    }
}
