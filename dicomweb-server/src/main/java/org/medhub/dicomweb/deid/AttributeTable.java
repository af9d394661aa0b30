package org.medhub.dicomweb.deid;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PS3.15 Table E.1-1 as the project keeps it ({@code deid/ps3.15-table-e.1-1.csv}): per attribute the
 * Basic Profile action and the action under each option. Immutable once loaded.
 */
public final class AttributeTable {

    static final String RESOURCE = "deid/ps3.15-table-e.1-1.csv";
    private static final String EDITION_MARK = "#edition=";
    private static final int FIXED_COLUMNS = 4;

    private final String edition;
    private final List<Row> rows;
    private final Map<Integer, Row> byTag = new HashMap<>();
    private final List<Row> repeatingGroups = new ArrayList<>();
    private final Row privateAttributes;

    private AttributeTable(String edition, List<Row> rows) {
        this.edition = edition;
        this.rows = List.copyOf(rows);
        Row privateRow = null;
        for (Row row : rows) {
            if (row.isPrivateAttributes()) {
                privateRow = row;
            } else if (row.tag().contains("X")) {
                repeatingGroups.add(row);
            } else if (byTag.put(Integer.parseUnsignedInt(row.tag(), 16), row) != null) {
                throw new IllegalStateException("Table E.1-1 lists " + row.tag() + " twice");
            }
        }
        if (privateRow == null) {
            throw new IllegalStateException("Table E.1-1 has no row for private attributes");
        }
        this.privateAttributes = privateRow;
    }

    /** The table shipped with MedHub. */
    public static AttributeTable standard() {
        try (InputStream in = AttributeTable.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " missing from the class path");
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AttributeTable read(InputStream in) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String edition = null;
        String[] header = null;
        List<Row> rows = new ArrayList<>();
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.startsWith(EDITION_MARK)) {
                edition = line.substring(EDITION_MARK.length()).strip();
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split(",", -1);
            if (header == null) {
                header = fields;
                continue;
            }
            if (fields.length != header.length) {
                throw new IllegalStateException(RESOURCE + " line " + number + ": " + fields.length
                        + " fields, the header has " + header.length);
            }
            rows.add(row(header, fields, number));
        }
        if (edition == null) {
            throw new IllegalStateException(RESOURCE + " does not name the edition of the standard it comes from");
        }
        return new AttributeTable(edition, rows);
    }

    private static Row row(String[] header, String[] fields, int number) {
        Map<DeidOption, ActionCode> options = new EnumMap<>(DeidOption.class);
        for (int i = FIXED_COLUMNS; i < fields.length; i++) {
            if (!fields[i].isEmpty()) {
                options.put(optionOf(header[i], number), ActionCode.parse(fields[i]));
            }
        }
        return new Row(fields[0], fields[1], "Y".equals(fields[2]), ActionCode.parse(fields[3]),
                Collections.unmodifiableMap(options));
    }

    private static DeidOption optionOf(String column, int number) {
        for (DeidOption option : DeidOption.values()) {
            if (column.equals(option.column())) {
                return option;
            }
        }
        throw new IllegalStateException(RESOURCE + " line " + number + ": unknown option column " + column);
    }

    /** The edition of PS3.15 the table comes from, e.g. {@code 2023}. */
    public String edition() {
        return edition;
    }

    public List<Row> rows() {
        return rows;
    }

    /** The row of a public attribute (exact tag or repeating group), or null when the table does not list it. */
    public Row find(int tag) {
        if (isPrivate(tag)) {
            return privateAttributes;
        }
        Row row = byTag.get(tag);
        if (row != null) {
            return row;
        }
        String hex = String.format("%08X", tag);
        for (Row group : repeatingGroups) {
            if (matches(group.tag(), hex)) {
                return group;
            }
        }
        return null;
    }

    static boolean isPrivate(int tag) {
        return ((tag >>> 16) & 1) == 1;
    }

    private static boolean matches(String pattern, String hex) {
        for (int i = 0; i < pattern.length(); i++) {
            char p = pattern.charAt(i);
            if (p != 'X' && p != hex.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * One row of Table E.1-1.
     *
     * @param tag eight hex digits, {@code XX} in repeating groups (e.g. {@code 60XX3000}), or {@code private}
     * @param options the action of each option that changes this attribute's treatment
     */
    public record Row(String tag, String name, boolean inStandardIod, ActionCode basic, Map<DeidOption, ActionCode> options) {

        boolean isPrivateAttributes() {
            return "private".equals(tag);
        }
    }
}
