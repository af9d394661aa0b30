package org.medhub.ml.cohort;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.medhub.ml.cohort.CohortSpec.Codes;
import org.medhub.ml.cohort.CohortSpec.FeatureSpec;
import org.medhub.ml.dataset.ColumnType;
import org.medhub.ml.dataset.DatasetException;

/** Reads a cohort spec from YAML and checks it, reporting every problem at once (as a 400 names them). */
public final class CohortSpecs {

    private static final String NAME = "[a-z][a-z0-9_-]{0,62}";
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(new JavaTimeModule())
            .build();

    private CohortSpecs() {}

    /**
     * The spec in {@code yaml}, or a {@link DatasetException} listing what is wrong with it. The caller bounds
     * the size (the API by {@code medhub.ml.max-cohort-spec-size} while reading the body).
     */
    public static CohortSpec parse(byte[] yaml) {
        if (yaml == null || yaml.length == 0) {
            throw new DatasetException("the cohort spec is empty");
        }
        CohortSpec spec;
        try {
            spec = YAML.readValue(yaml, CohortSpec.class);
        } catch (UnrecognizedPropertyException e) {
            throw new DatasetException("unknown key '" + e.getPropertyName() + "' at " + where(e)
                    + "; known keys: " + e.getKnownPropertyIds());
        } catch (JsonMappingException e) {
            throw new DatasetException("the cohort spec does not fit the format at " + where(e) + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new DatasetException("the cohort spec is not valid YAML: " + e.getMessage());
        }
        if (spec == null) {
            throw new DatasetException("the cohort spec is empty");
        }
        List<String> problems = problems(spec);
        if (!problems.isEmpty()) {
            throw new DatasetException(problems);
        }
        return spec;
    }

    private static List<String> problems(CohortSpec spec) {
        List<String> problems = new ArrayList<>();
        if (spec.name() == null || !spec.name().matches(NAME)) {
            problems.add("name must be lower-case letters, digits, '-' or '_' (1-63 characters), got '" + spec.name() + "'");
        }
        if (spec.minAge() != null && spec.maxAge() != null && spec.minAge() > spec.maxAge()) {
            problems.add("minAge " + spec.minAge() + " is above maxAge " + spec.maxAge());
        }
        checkLabel(spec.label(), problems);
        if (spec.features().isEmpty()) {
            problems.add("features: at least one feature is needed");
        }
        Set<String> names = new HashSet<>();
        if (spec.label() != null && spec.label().name() != null) {
            names.add(spec.label().name());
        }
        for (int i = 0; i < spec.features().size(); i++) {
            checkFeature("features[" + i + "]", spec.features().get(i), names, problems);
        }
        for (CohortSpec.SubgroupSpec subgroup : spec.subgroups()) {
            FeatureSpec feature = spec.features().stream()
                    .filter(f -> f.name() != null && f.name().equals(subgroup.feature())).findFirst().orElse(null);
            if (feature == null) {
                problems.add("subgroups: '" + subgroup.feature() + "' is not a feature");
            } else if (!subgroup.bands().isEmpty() && feature.declaredType() != ColumnType.NUMERIC) {
                problems.add("subgroups: '" + subgroup.feature() + "' has bands but is not numeric");
            }
        }
        return problems;
    }

    private static void checkLabel(CohortSpec.Label label, List<String> problems) {
        if (label == null) {
            problems.add("label is missing (name, horizonYears, condition)");
            return;
        }
        if (label.name() == null || !label.name().matches(NAME)) {
            problems.add("label.name must be lower-case letters, digits, '-' or '_', got '" + label.name() + "'");
        }
        if (label.horizonYears() == null || label.horizonYears() < 1 || label.horizonYears() > 50) {
            problems.add("label.horizonYears must be between 1 and 50, got " + label.horizonYears());
        }
        checkCodes("label.condition", label.condition(), problems);
    }

    private static void checkFeature(String where, FeatureSpec feature, Set<String> names, List<String> problems) {
        String at = where + (feature.name() == null ? "" : " (" + feature.name() + ")");
        if (feature.name() == null || !feature.name().matches(NAME)) {
            problems.add(at + ": name must be lower-case letters, digits, '-' or '_', got '" + feature.name() + "'");
        } else if (!names.add(feature.name())) {
            problems.add(at + ": the name '" + feature.name() + "' is used twice");
        }
        long sources = Stream.of(feature.patient(), feature.observation(), feature.condition())
                .filter(Objects::nonNull).count();
        if (sources != 1) {
            problems.add(at + ": set exactly one of patient (age, sex), observation or condition");
        }
        if (feature.observation() != null) {
            checkCodes(at + ".observation", feature.observation(), problems);
        }
        if (feature.condition() != null) {
            checkCodes(at + ".condition", feature.condition(), problems);
        }
        if (!feature.categories().isEmpty() && feature.observation() == null) {
            problems.add(at + ": categories apply to coded observations only");
        }
        if (!feature.range().isEmpty()) {
            if (feature.declaredType() == ColumnType.CATEGORICAL) {
                problems.add(at + ": a range applies to numeric features only");
            } else if (feature.range().size() != 2 || feature.range().get(0) > feature.range().get(1)) {
                problems.add(at + ": range must be [min, max]");
            }
        }
    }

    private static void checkCodes(String where, Codes codes, List<String> problems) {
        if (codes == null) {
            problems.add(where + " is missing (system and codes)");
            return;
        }
        if (codes.system() == null || codes.system().isBlank() || codes.system().contains("|")) {
            problems.add(where + ".system must be a code system URI such as http://loinc.org");
        }
        if (codes.codes().isEmpty() || codes.codes().stream().anyMatch(c -> c == null || c.isBlank()
                || c.contains(",") || c.contains("|"))) {
            problems.add(where + ".codes must list at least one code (without ',' or '|')");
        }
    }

    private static String where(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining());
        return path.isEmpty() ? "the top level" : path.substring(path.startsWith(".") ? 1 : 0);
    }
}
