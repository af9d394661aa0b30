package org.medhub.ml.dataset;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tribuo.data.columnar.ColumnarIterator.Row;
import org.tribuo.data.csv.CSVIterator;

/**
 * Reads a CSV file (RFC 4180, header line, UTF-8) into a {@link Dataset} under a {@link DatasetSpec}:
 * declared types are checked, the others inferred, and every problem found is reported at once.
 */
public final class CsvDatasets {

    /** Cells read as "no value". */
    static final Set<String> MISSING = Set.of("", "na", "n/a", "nan", "null", "?");
    /** A categorical column with more values than this is almost always an identifier or free text. */
    static final int MAX_CATEGORIES = 50;
    static final int MIN_ROWS = 10;
    private static final List<List<String>> BINARY_PAIRS =
            List.of(List.of("0", "1"), List.of("false", "true"), List.of("no", "yes"), List.of("n", "y"));

    private CsvDatasets() {}

    public static Dataset read(byte[] csv, DatasetSpec spec) {
        if (spec == null || spec.target() == null || spec.target().isBlank()) {
            throw new DatasetException("the dataset spec must name the target column");
        }
        List<String> header = new ArrayList<>();
        List<Map<String, String>> cells = parse(csv, header);
        List<String> problems = new ArrayList<>();
        if (!header.contains(spec.target())) {
            throw new DatasetException("target column '" + spec.target() + "' is not in the header " + header);
        }
        for (String column : spec.columnTypes().keySet()) {
            if (!header.contains(column)) {
                problems.add("column '" + column + "' has a declared type but is not in the header");
            }
        }
        for (String column : spec.exclude()) {
            if (!header.contains(column)) {
                problems.add("excluded column '" + column + "' is not in the header");
            }
        }
        if (cells.size() < MIN_ROWS) {
            problems.add("at least " + MIN_ROWS + " data rows are needed, found " + cells.size());
        }
        List<String> features = header.stream()
                .filter(c -> !c.equals(spec.target()) && !spec.exclude().contains(c))
                .toList();
        if (features.isEmpty()) {
            problems.add("no feature columns besides the target");
        }

        String[] targets = new String[cells.size()];
        for (int i = 0; i < cells.size(); i++) {
            String value = cells.get(i).get(spec.target());
            if (isMissing(value)) {
                problems.add("row " + line(i) + ": target '" + spec.target() + "' has no value");
            }
            targets[i] = value == null ? null : value.trim();
        }
        Set<String> classes = new TreeSet<>();
        for (String t : targets) {
            if (!isMissing(t)) {
                classes.add(t);
            }
        }
        String positive = null;
        String negative = null;
        if (classes.size() != 2) {
            problems.add("target '" + spec.target() + "' must have exactly two classes, found " + classes);
        } else {
            positive = positiveClass(spec, classes, problems);
            for (String c : classes) {
                if (!c.equals(positive)) {
                    negative = c;
                }
            }
        }

        List<ColumnReport> reports = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            rows.add(new LinkedHashMap<>());
        }
        for (String feature : features) {
            reports.add(readColumn(feature, spec, cells, rows, problems));
        }
        checkSubgroups(spec, features, problems);
        if (!problems.isEmpty()) {
            throw new DatasetException(problems);
        }
        boolean[] outcomes = new boolean[targets.length];
        for (int i = 0; i < targets.length; i++) {
            outcomes[i] = targets[i].equals(positive);
        }
        return new Dataset(spec, reports, rows, outcomes, positive, negative, fingerprint(csv));
    }

    private static List<Map<String, String>> parse(byte[] csv, List<String> header) {
        List<Map<String, String>> rows = new ArrayList<>();
        try (CSVIterator iterator = new CSVIterator(
                new InputStreamReader(new ByteArrayInputStream(csv), StandardCharsets.UTF_8), ',', '"')) {
            Set<String> seen = new HashSet<>();
            List<String> fields = iterator.getFields();
            header.addAll(fields);
            for (String field : fields) {
                if (field.isBlank() || !seen.add(field)) {
                    throw new DatasetException("the header has a blank or repeated column name: " + fields);
                }
            }
            while (iterator.hasNext()) {
                Row row = iterator.next();
                rows.add(new LinkedHashMap<>(row.getRowData()));
            }
        } catch (DatasetException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DatasetException("not a readable CSV file: " + e.getMessage());
        }
        return rows;
    }

    private static String positiveClass(DatasetSpec spec, Set<String> classes, List<String> problems) {
        if (spec.positiveClass() != null && !spec.positiveClass().isBlank()) {
            if (!classes.contains(spec.positiveClass())) {
                problems.add("positive class '" + spec.positiveClass() + "' is not a value of target '"
                        + spec.target() + "' " + classes);
            }
            return spec.positiveClass();
        }
        List<String> lower = classes.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
        for (List<String> pair : BINARY_PAIRS) {
            if (lower.equals(pair)) {
                return classes.stream().filter(c -> c.equalsIgnoreCase(pair.get(1))).findFirst().orElseThrow();
            }
        }
        problems.add("target '" + spec.target() + "' has classes " + classes + "; name the positive class");
        return null;
    }

    private static ColumnReport readColumn(
            String column, DatasetSpec spec, List<Map<String, String>> cells, List<Map<String, Object>> rows,
            List<String> problems) {
        ColumnType declared = spec.columnTypes().get(column);
        boolean allNumeric = true;
        for (Map<String, String> row : cells) {
            String value = row.get(column);
            if (!isMissing(value) && parseNumber(value) == null) {
                allNumeric = false;
                break;
            }
        }
        ColumnType type = declared != null ? declared : allNumeric ? ColumnType.NUMERIC : ColumnType.CATEGORICAL;
        int missing = 0;
        Set<String> distinct = new TreeSet<>();
        Double min = null;
        Double max = null;
        int badCells = 0;
        for (int i = 0; i < cells.size(); i++) {
            String value = cells.get(i).get(column);
            if (isMissing(value)) {
                missing++;
                rows.get(i).put(column, null);
                continue;
            }
            String trimmed = value.trim();
            distinct.add(trimmed);
            if (type == ColumnType.NUMERIC) {
                Double number = parseNumber(trimmed);
                if (number == null) {
                    if (badCells++ < 3) {
                        problems.add("row " + line(i) + ": column '" + column + "' is numeric but has '" + trimmed + "'");
                    }
                    continue;
                }
                min = min == null ? number : Math.min(min, number);
                max = max == null ? number : Math.max(max, number);
                rows.get(i).put(column, number);
            } else {
                rows.get(i).put(column, trimmed);
            }
        }
        if (missing == cells.size()) {
            problems.add("column '" + column + "' has no values; exclude it");
        }
        if (type == ColumnType.CATEGORICAL && distinct.size() > MAX_CATEGORIES) {
            problems.add("column '" + column + "' has " + distinct.size() + " distinct values (more than "
                    + MAX_CATEGORIES + "); exclude it or declare it numeric");
        }
        List<String> categories = type == ColumnType.CATEGORICAL ? List.copyOf(distinct) : List.of();
        return new ColumnReport(column, type, declared == null, missing, distinct.size(), min, max, categories);
    }

    private static void checkSubgroups(DatasetSpec spec, List<String> features, List<String> problems) {
        for (DatasetSpec.Subgroup subgroup : spec.subgroups()) {
            if (!features.contains(subgroup.column())) {
                problems.add("subgroup column '" + subgroup.column() + "' is not a feature column");
            }
        }
        spec.ranges().forEach((column, range) -> {
            if (range == null || range.size() != 2 || range.get(0) > range.get(1)) {
                problems.add("range of '" + column + "' must be [min, max]");
            } else if (!features.contains(column)) {
                problems.add("range given for '" + column + "', which is not a feature column");
            }
        });
    }

    static boolean isMissing(String value) {
        return value == null || MISSING.contains(value.trim().toLowerCase(Locale.ROOT));
    }

    private static Double parseNumber(String value) {
        try {
            double number = Double.parseDouble(value.trim());
            return Double.isFinite(number) ? number : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The 1-based line in the file (the header is line 1). */
    private static int line(int row) {
        return row + 2;
    }

    static String fingerprint(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
