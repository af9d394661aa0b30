package org.medhub.ml.cohort;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.medhub.ml.dataset.ColumnType;

/**
 * A FHIR cohort feature spec ({@code config/ml/*.yaml}): who is in the cohort, the outcome (a
 * Condition whose onset falls within the horizon after the index date), and the features (from
 * Patient, the latest Observation before the index date, or the presence of a Condition by then).
 * Read and checked by {@link CohortSpecs#parse}; immutable.
 *
 * @param name the dataset's name (and the model's, unless {@code training.model} says otherwise)
 * @param description what the cohort is for, shown to whoever trains on it
 * @param indexDate when features are read; absent means the pull date minus the horizon, so that the
 *     whole horizon has been observed
 * @param minAge youngest patient (at the index date) taken into the cohort
 * @param maxAge oldest patient taken into the cohort
 * @param label the outcome
 * @param features the feature columns, in this order
 * @param subgroups attributes of the subgroup (bias) report
 * @param training the training run's settings, passed as they are to {@code POST /ml/api/training-runs}
 */
public record CohortSpec(
        String name,
        String description,
        LocalDate indexDate,
        Integer minAge,
        Integer maxAge,
        Label label,
        List<FeatureSpec> features,
        List<SubgroupSpec> subgroups,
        Map<String, Object> training) {

    public CohortSpec {
        features = features == null ? List.of() : List.copyOf(features);
        subgroups = subgroups == null ? List.of() : List.copyOf(subgroups);
        training = training == null ? Map.of() : Map.copyOf(training);
    }

    /**
     * The outcome: a Condition with one of the codes and onset in (index date, index date + horizon].
     *
     * @param name the label column
     * @param horizonYears how long after the index date an onset still counts
     * @param excludePrevalent leave out patients whose condition began on or before the index date
     *     (they are not at risk of a first event); default true
     */
    public record Label(String name, Integer horizonYears, Codes condition, Boolean excludePrevalent) {

        public boolean excludesPrevalent() {
            return excludePrevalent == null || excludePrevalent;
        }
    }

    /** A set of codes of one code system, e.g. SNOMED CT ({@code http://snomed.info/sct}). */
    public record Codes(String system, List<String> codes) {

        public Codes {
            codes = codes == null ? List.of() : List.copyOf(codes);
        }

        /** As a FHIR token search parameter value: {@code system|code,system|code}. */
        String searchValue() {
            return String.join(",", codes.stream().map(code -> system + "|" + code).toList());
        }
    }

    /** The Patient attributes a feature can be: age at the index date in whole years, and administrative sex. */
    public enum PatientAttribute { AGE, SEX }

    /**
     * One feature column, read from exactly one of {@code patient}, {@code observation}, {@code condition}.
     *
     * @param patient an attribute of the Patient ({@code age} at the index date in years, {@code sex})
     * @param observation the latest Observation before the index date with this code (also found as a
     *     component, e.g. systolic pressure inside a blood pressure panel); numeric for a Quantity, a
     *     category for a CodeableConcept
     * @param condition {@code yes} when a Condition with one of these codes began on or before the index date, else {@code no}
     * @param categories names for coded observation values (code to category), e.g. smoking status codes
     * @param range accepted {@code [min, max]} at prediction for a numeric feature
     */
    public record FeatureSpec(String name, PatientAttribute patient, Codes observation, Codes condition,
            Map<String, String> categories, List<Double> range) {

        public FeatureSpec {
            categories = categories == null ? Map.of() : Map.copyOf(categories);
            range = range == null ? List.of() : List.copyOf(range);
        }

        /** The column's declared type; null for a plain observation, whose values decide (Quantity or coded). */
        ColumnType declaredType() {
            if (patient == PatientAttribute.AGE) {
                return ColumnType.NUMERIC;
            }
            return observation != null && categories.isEmpty() ? null : ColumnType.CATEGORICAL;
        }
    }

    /** A subgroup of the bias report: by a categorical feature, or a numeric one cut at {@code bands}. */
    public record SubgroupSpec(String feature, List<Double> bands) {

        public SubgroupSpec {
            bands = bands == null ? List.of() : List.copyOf(bands);
        }
    }
}
