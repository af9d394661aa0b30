package org.medhub.ml.cohort;

import java.time.LocalDate;
import java.time.Period;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationComponentComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Type;
import org.medhub.ml.cohort.CohortSpec.Codes;
import org.medhub.ml.cohort.CohortSpec.FeatureSpec;

/**
 * Turns one patient's FHIR resources into a row of features as of a date, by a {@link CohortSpec}:
 * the same reading for a training cohort and for a single patient at prediction time.
 */
public final class CohortFeatures {

    static final String YES = "yes";
    static final String NO = "no";

    private CohortFeatures() {}

    /** A patient's resources as pulled from FHIR. */
    public record PatientRecord(Patient patient, List<Observation> observations, List<Condition> conditions) {

        public PatientRecord {
            observations = List.copyOf(observations);
            conditions = List.copyOf(conditions);
        }
    }

    /** A patient in the cohort: features and outcome. */
    record Row(Map<String, Object> features, boolean outcome) {}

    /**
     * The features of {@code record} as of {@code asOf}: {@code Double} for numeric ones, the category
     * for the others, {@code null} when the record has no value (no observation before the date, or no
     * birth date or sex).
     */
    public static Map<String, Object> features(CohortSpec spec, PatientRecord record, LocalDate asOf) {
        Map<String, Object> features = new LinkedHashMap<>();
        for (FeatureSpec feature : spec.features()) {
            features.put(feature.name(), value(feature, record, asOf));
        }
        return features;
    }

    /**
     * The patient's row, or empty when the patient is not in the cohort: outside the age limits at the
     * index date, or (by default) already having the outcome condition by then.
     */
    static Optional<Row> row(CohortSpec spec, PatientRecord record, LocalDate index) {
        Integer age = age(record.patient(), index);
        if (age == null || age < 0
                || (spec.minAge() != null && age < spec.minAge()) || (spec.maxAge() != null && age > spec.maxAge())) {
            return Optional.empty();
        }
        CohortSpec.Label label = spec.label();
        LocalDate end = index.plusYears(label.horizonYears());
        boolean prevalent = false;
        boolean outcome = false;
        for (Condition condition : record.conditions()) {
            LocalDate onset = onset(condition);
            if (onset == null || !matches(condition.getCode(), label.condition())) {
                continue;
            }
            if (!onset.isAfter(index)) {
                prevalent = true;
            } else if (!onset.isAfter(end)) {
                outcome = true;
            }
        }
        if (prevalent && label.excludesPrevalent()) {
            return Optional.empty();
        }
        return Optional.of(new Row(features(spec, record, index), outcome || prevalent));
    }

    private static Object value(FeatureSpec feature, PatientRecord record, LocalDate asOf) {
        if (feature.patient() != null) {
            return switch (feature.patient()) {
                case AGE -> {
                    Integer age = age(record.patient(), asOf);
                    yield age == null ? null : age.doubleValue();
                }
                case SEX -> record.patient().hasGender() ? record.patient().getGender().toCode() : null;
            };
        }
        if (feature.condition() != null) {
            return record.conditions().stream().anyMatch(c -> matches(c.getCode(), feature.condition())
                    && onset(c) != null && !onset(c).isAfter(asOf)) ? YES : NO;
        }
        return record.observations().stream()
                .filter(o -> effective(o) != null && day(effective(o)) != null && !day(effective(o)).isAfter(asOf))
                .map(o -> new Dated(effective(o).getValue(), observedValue(o, feature)))
                .filter(d -> d.value() != null)
                .max(Comparator.comparing(Dated::when))
                .map(Dated::value)
                .orElse(null);
    }

    private record Dated(Date when, Object value) {}

    /** The observation's value for the feature: its own value when its code matches, else a matching component's. */
    private static Object observedValue(Observation observation, FeatureSpec feature) {
        if (matches(observation.getCode(), feature.observation())) {
            return valueOf(observation.getValue(), feature);
        }
        for (ObservationComponentComponent component : observation.getComponent()) {
            if (matches(component.getCode(), feature.observation())) {
                return valueOf(component.getValue(), feature);
            }
        }
        return null;
    }

    private static Object valueOf(Type value, FeatureSpec feature) {
        if (value instanceof Quantity quantity && quantity.hasValue()) {
            return quantity.getValue().doubleValue();
        }
        if (value instanceof CodeableConcept concept) {
            for (Coding coding : concept.getCoding()) {
                String category = feature.categories().get(coding.getCode());
                if (category != null) {
                    return category;
                }
            }
            // Without a mapping the value is the code itself: stable, and never free text.
            return concept.getCoding().stream().map(Coding::getCode).filter(Objects::nonNull).findFirst().orElse(null);
        }
        return null;
    }

    static boolean matches(CodeableConcept concept, Codes codes) {
        return concept != null && concept.getCoding().stream()
                .anyMatch(c -> codes.system().equals(c.getSystem()) && codes.codes().contains(c.getCode()));
    }

    static Integer age(Patient patient, LocalDate asOf) {
        LocalDate born = patient.hasBirthDate() ? day(patient.getBirthDateElement()) : null;
        return born == null ? null : Period.between(born, asOf).getYears();
    }

    private static LocalDate onset(Condition condition) {
        if (condition.hasOnsetDateTimeType()) {
            return day(condition.getOnsetDateTimeType());
        }
        if (condition.hasOnsetPeriod() && condition.getOnsetPeriod().hasStart()) {
            return day(condition.getOnsetPeriod().getStartElement());
        }
        return condition.hasRecordedDate() ? day(condition.getRecordedDateElement()) : null;
    }

    /** When the observation was made, to the precision recorded (same-day readings are ordered by time). */
    private static BaseDateTimeType effective(Observation observation) {
        if (observation.hasEffectiveDateTimeType()) {
            return observation.getEffectiveDateTimeType();
        }
        if (observation.hasEffectivePeriod() && observation.getEffectivePeriod().hasStart()) {
            return observation.getEffectivePeriod().getStartElement();
        }
        return observation.hasIssued() ? observation.getIssuedElement() : null;
    }

    /** The calendar day as recorded, in the record's own time zone (not shifted to the server's). */
    private static LocalDate day(BaseDateTimeType date) {
        String text = date == null ? null : date.getValueAsString();
        return text == null || text.length() < 10 ? null : LocalDate.parse(text.substring(0, 10));
    }
}
