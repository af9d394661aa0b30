package org.medhub.dicomweb.qido;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.medhub.dicomweb.qido.QueryAttribute.Matching;
import org.medhub.dicomweb.web.InvalidQueryException;

/**
 * A QIDO-RS request translated to one SQL query on the index (PS3.18 10.6): matching keys become
 * WHERE conditions with bound parameters (never concatenated values), {@code limit}/{@code offset}
 * paging, and the set of attributes each result carries.
 *
 * @param sql the statement; it asks for one row more than {@code limit} to tell whether more exist
 * @param arguments its parameters in order
 * @param returned attributes answered from index columns, in tag order
 * @param extraTags further {@code includefield} tags (8 hex digits), answered from a stored instance's attributes
 * @param projected whether a key is matched on the joined columns of {@link MatchColumns}
 */
record QidoQuery(
        QueryLevel level,
        String sql,
        List<Object> arguments,
        List<QueryAttribute> returned,
        List<String> extraTags,
        int limit,
        int offset,
        boolean projected) {

    private static final Pattern HEX_TAG = Pattern.compile("[0-9A-Fa-f]{8}");
    private static final Pattern DATE_VALUE = Pattern.compile("[0-9]{0,8}(\\.[0-9]{0,6})?|[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final Set<String> CONTROL = Set.of("limit", "offset", "includefield", "fuzzymatching");

    /**
     * @param parameters the query string (names as sent; values not yet split)
     * @param scope matching keys fixed by the path ({@code /studies/{s}/series}: StudyInstanceUID)
     * @param dictionary tag (8 hex digits) of a DICOM keyword, or null when unknown
     * @param columns where the matching keys are compared ({@link MatchColumns#INDEX}: the index's columns)
     * @throws InvalidQueryException with a message for the client when the query is invalid (400)
     */
    static QidoQuery parse(
            QueryLevel level,
            Map<String, List<String>> parameters,
            Map<QueryAttribute, String> scope,
            int defaultLimit,
            int maxLimit,
            Function<String, String> dictionary,
            MatchColumns columns) {
        List<String> conditions = new ArrayList<>();
        List<Object> arguments = new ArrayList<>();
        Set<QueryAttribute> returned = EnumSet.noneOf(QueryAttribute.class);
        Set<String> extraTags = new TreeSet<>();
        int limit = defaultLimit;
        int offset = 0;
        boolean all = false;
        boolean projected = false;

        boolean fuzzy = fuzzyMatching(parameters);
        scope.forEach((attribute, value) -> {
            conditions.add(attribute.column + " = ?");
            arguments.add(value);
            returned.add(attribute);
        });
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            List<String> values = parameter.getValue();
            switch (name.toLowerCase(Locale.ROOT)) {
                case "limit" -> limit = Math.min(nonNegative(name, single(name, values)), maxLimit);
                case "offset" -> offset = nonNegative(name, single(name, values));
                case "fuzzymatching" -> {
                    // read before the loop: it changes how the person-name keys match
                }
                case "includefield" -> {
                    for (String value : values) {
                        for (String field : value.split(",")) {
                            field = field.strip();
                            if (field.equalsIgnoreCase("all")) {
                                all = true;
                            } else if (!field.isEmpty()) {
                                include(field, level, returned, extraTags, dictionary);
                            }
                        }
                    }
                }
                default -> {
                    if (CONTROL.contains(name)) {
                        continue;
                    }
                    QueryAttribute attribute = QueryAttribute.of(name).orElseThrow(() -> new InvalidQueryException(
                            "unsupported matching key '" + name + "'"));
                    if (!level.includes(attribute.level)) {
                        throw new InvalidQueryException(
                                attribute.keyword + " is not a matching key of a " + level.name().toLowerCase(Locale.ROOT) + " query");
                    }
                    if (attribute.matching == Matching.NONE) {
                        throw new InvalidQueryException(attribute.keyword + " cannot be used as a matching key");
                    }
                    returned.add(attribute);
                    int before = conditions.size();
                    match(attribute, columns.column(attribute), single(name, values), fuzzy, conditions, arguments);
                    projected |= conditions.size() > before && columns.projected().containsKey(attribute);
                }
            }
        }
        for (QueryAttribute attribute : QueryAttribute.values()) {
            boolean defaultHere = attribute.returnedByDefault && (attribute.level == level
                    || (scope.isEmpty() && level.includes(attribute.level))
                    || attribute == QueryAttribute.STUDY_INSTANCE_UID
                    || (attribute == QueryAttribute.SERIES_INSTANCE_UID && level.includes(QueryLevel.SERIES)));
            if ((defaultHere || all) && level.includes(attribute.level)) {
                returned.add(attribute);
            }
        }
        if (projected) { // the join's parameters come first: it precedes the conditions
            arguments.addAll(0, columns.joinArguments());
        }
        String sql = select(level, !extraTags.isEmpty()) + (projected ? columns.join() : "")
                + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + orderBy(level) + " LIMIT ? OFFSET ?";
        arguments.add(limit + 1);
        arguments.add(offset);
        List<QueryAttribute> sorted = new ArrayList<>(returned);
        sorted.sort((a, b) -> a.tag.compareTo(b.tag));
        return new QidoQuery(level, sql, List.copyOf(arguments), List.copyOf(sorted), List.copyOf(extraTags), limit, offset,
                projected);
    }

    private static void include(String field, QueryLevel level, Set<QueryAttribute> returned, Set<String> extraTags,
            Function<String, String> dictionary) {
        var known = QueryAttribute.of(field);
        if (known.isPresent()) {
            if (level.includes(known.get().level)) {
                returned.add(known.get());
            }
            return;
        }
        String tag = HEX_TAG.matcher(field).matches() ? field.toUpperCase(Locale.ROOT) : dictionary.apply(field);
        if (tag == null) {
            throw new InvalidQueryException("includefield '" + field + "' is neither a tag nor a known keyword");
        }
        extraTags.add(tag);
    }

    private static String single(String name, List<String> values) {
        if (values.size() != 1) {
            throw new InvalidQueryException(name + " given " + values.size() + " times");
        }
        return values.get(0);
    }

    private static int nonNegative(String name, String value) {
        try {
            int number = Integer.parseInt(value.strip());
            if (number < 0) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new InvalidQueryException(name + " must be a non-negative integer, not '" + value + "'");
        }
    }

    /**
     * PS3.18 8.3.4.6: {@code fuzzymatching=true} asks for fuzzy semantic matching of person names, whose
     * kind is the server's choice (the conformance statement says which). Names here always match
     * case-insensitively; fuzzy matching also finds the value at the start of any name component, so
     * {@code PatientName=john} finds {@code Doe^John} and {@code Smith^Johnny}.
     */
    private static boolean fuzzyMatching(Map<String, List<String>> parameters) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            if (parameter.getKey().equalsIgnoreCase("fuzzymatching")) {
                String value = single(parameter.getKey(), parameter.getValue()).strip();
                if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                    throw new InvalidQueryException("fuzzymatching must be true or false, not '" + value + "'");
                }
                return value.equalsIgnoreCase("true");
            }
        }
        return false;
    }

    private static void match(QueryAttribute attribute, String column, String value, boolean fuzzy,
            List<String> conditions, List<Object> arguments) {
        String trimmed = value.strip();
        if (trimmed.isEmpty() || trimmed.equals("*")) {
            return; // universal matching: the attribute is only returned
        }
        switch (attribute.matching) {
            case UID_LIST -> {
                conditions.add(column + " = ANY (?)");
                arguments.add(splitList(trimmed));
            }
            case MODALITIES -> {
                conditions.add("EXISTS (SELECT 1 FROM series m WHERE m.study_uid = s.study_uid AND m.modality = ANY (?))");
                arguments.add(splitList(trimmed));
            }
            case TEXT -> wildcard(column, trimmed, conditions, arguments);
            case PERSON_NAME -> {
                String name = trimmed.toUpperCase(Locale.ROOT);
                if (fuzzy) {
                    componentPrefix(upperColumn(column), name, conditions, arguments);
                } else {
                    wildcard(upperColumn(column), name, conditions, arguments);
                }
            }
            case DATE -> range(attribute, column, trimmed, conditions, arguments);
            case NONE -> throw new IllegalStateException();
        }
    }

    private static String[] splitList(String value) {
        return Arrays.stream(value.split("[,\\\\]")).map(String::strip).filter(v -> !v.isEmpty()).toArray(String[]::new);
    }

    private static void wildcard(String target, String pattern, List<String> conditions, List<Object> arguments) {
        if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0) {
            conditions.add(target + " = ?");
            arguments.add(pattern);
            return;
        }
        StringBuilder like = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> like.append('%');
                case '?' -> like.append('_');
                case '%', '_', '\\' -> like.append('\\').append(c);
                default -> like.append(c);
            }
        }
        conditions.add(target + " LIKE ?");
        arguments.add(like.toString());
    }

    /**
     * A regular expression: the pattern (wildcards allowed) at the start of the name or right after a
     * component or group separator ({@code ^}, {@code =}) or a space inside a component.
     */
    private static void componentPrefix(String target, String pattern, List<String> conditions, List<Object> arguments) {
        StringBuilder regex = new StringBuilder("(^|[\\^= ])");
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                // PostgreSQL's regular expressions have no \Q..\E; a backslash before a
                // non-alphanumeric character makes it literal.
                default -> regex.append(Character.isLetterOrDigit(c) ? "" : "\\").append(c);
            }
        }
        conditions.add(target + " ~ ?");
        arguments.add(regex.toString());
    }

    /** Person names are matched on their upper-cased copies, which are indexed. */
    private static String upperColumn(String column) {
        return switch (column) {
            case "s.patient_name" -> "s.patient_name_upper";
            case "s.referring_physician_name" -> "s.referring_physician_upper";
            default -> column.endsWith("_upper") ? column : "upper(" + column + ")";
        };
    }

    private static void range(QueryAttribute attribute, String column, String value, List<String> conditions,
            List<Object> arguments) {
        String[] bounds = value.split("-", -1);
        if (value.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
            bounds = new String[] {value.replace("-", "")};
        }
        if (bounds.length > 2) {
            throw new InvalidQueryException(attribute.keyword + " '" + value + "' is not a value or range");
        }
        for (String bound : bounds) {
            if (!DATE_VALUE.matcher(bound.strip()).matches()) {
                throw new InvalidQueryException(attribute.keyword + " '" + value + "' is not a valid " + attribute.vr);
            }
        }
        if (bounds.length == 1) {
            conditions.add(column + " = ?");
            arguments.add(bounds[0].strip());
            return;
        }
        if (!bounds[0].isBlank()) {
            conditions.add(column + " >= ?");
            arguments.add(bounds[0].strip());
        }
        if (!bounds[1].isBlank()) {
            // A time bound "10" must include 10:59:59; a date bound is complete.
            conditions.add(attribute.vr.equals("TM") ? "substr(" + column + ", 1, ?) <= ?" : column + " <= ?");
            if (attribute.vr.equals("TM")) {
                arguments.add(bounds[1].strip().length());
            }
            arguments.add(bounds[1].strip());
        }
    }

    private static String select(QueryLevel level, boolean withSampleAttributes) {
        StringBuilder sql = new StringBuilder("SELECT ");
        Set<String> columns = new LinkedHashSet<>();
        for (QueryAttribute attribute : QueryAttribute.values()) {
            if (!level.includes(attribute.level)) {
                continue;
            }
            switch (attribute) {
                case MODALITIES_IN_STUDY -> columns.add(
                        "(SELECT string_agg(DISTINCT m.modality, '\\' ORDER BY m.modality) FROM series m"
                                + " WHERE m.study_uid = s.study_uid) AS " + attribute.label());
                case NUMBER_OF_STUDY_RELATED_SERIES -> columns.add(
                        "(SELECT count(*) FROM series c WHERE c.study_uid = s.study_uid) AS " + attribute.label());
                case NUMBER_OF_STUDY_RELATED_INSTANCES -> columns.add(
                        "(SELECT count(*) FROM instance c WHERE c.study_uid = s.study_uid) AS " + attribute.label());
                case NUMBER_OF_SERIES_RELATED_INSTANCES -> columns.add(
                        "(SELECT count(*) FROM instance c WHERE c.series_uid = se.series_uid) AS " + attribute.label());
                default -> columns.add(attribute.column + " AS " + attribute.label());
            }
        }
        sql.append(String.join(", ", columns));
        if (withSampleAttributes) {
            sql.append(switch (level) {
                case STUDY -> ", (SELECT x.attributes::text FROM instance x WHERE x.study_uid = s.study_uid LIMIT 1)";
                case SERIES -> ", (SELECT x.attributes::text FROM instance x WHERE x.series_uid = se.series_uid LIMIT 1)";
                case INSTANCE -> ", i.attributes::text";
            }).append(" AS sample_attributes");
        }
        sql.append(switch (level) {
            case STUDY -> " FROM study s";
            case SERIES -> " FROM series se JOIN study s ON s.study_uid = se.study_uid";
            case INSTANCE -> " FROM instance i JOIN series se ON se.series_uid = i.series_uid"
                    + " JOIN study s ON s.study_uid = i.study_uid";
        });
        return sql.toString();
    }

    private static String orderBy(QueryLevel level) {
        return switch (level) {
            case STUDY -> " ORDER BY s.study_date DESC NULLS LAST, s.study_uid";
            case SERIES -> " ORDER BY s.study_uid, se.series_uid";
            case INSTANCE -> " ORDER BY s.study_uid, se.series_uid, i.sop_instance_uid";
        };
    }
}
