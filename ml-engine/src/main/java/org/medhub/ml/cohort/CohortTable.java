package org.medhub.ml.cohort;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medhub.ml.cohort.CohortFeatures.Row;
import org.medhub.ml.cohort.CohortSpec.FeatureSpec;
import org.medhub.ml.dataset.ColumnType;
import org.medhub.ml.dataset.DatasetSpec;

/**
 * The feature table of a cohort as the CSV the dataset store keeps, with its dataset spec. The table
 * holds features and the label only: no identifier, name or date of the patients it came from.
 */
final class CohortTable {

    private CohortTable() {}

    static byte[] csv(CohortSpec spec, List<Row> rows) {
        StringBuilder csv = new StringBuilder();
        List<String> header = new ArrayList<>(spec.features().stream().map(FeatureSpec::name).toList());
        header.add(spec.label().name());
        csv.append(String.join(",", header)).append('\n');
        for (Row row : rows) {
            List<String> cells = new ArrayList<>();
            for (FeatureSpec feature : spec.features()) {
                cells.add(cell(row.features().get(feature.name())));
            }
            cells.add(row.outcome() ? CohortFeatures.YES : CohortFeatures.NO);
            csv.append(String.join(",", cells)).append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    static DatasetSpec datasetSpec(CohortSpec spec) {
        Map<String, ColumnType> types = new LinkedHashMap<>();
        Map<String, List<Double>> ranges = new LinkedHashMap<>();
        for (FeatureSpec feature : spec.features()) {
            if (feature.declaredType() != null) {
                types.put(feature.name(), feature.declaredType());
            }
            if (!feature.range().isEmpty()) {
                ranges.put(feature.name(), feature.range());
            }
        }
        List<DatasetSpec.Subgroup> subgroups = spec.subgroups().stream()
                .map(s -> new DatasetSpec.Subgroup(s.feature(), s.bands()))
                .toList();
        return new DatasetSpec(spec.label().name(), CohortFeatures.YES, types, List.of(), ranges, subgroups);
    }

    /** RFC 4180: quoted when it holds a comma, quote or line break; empty when missing. */
    private static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
