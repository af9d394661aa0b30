package org.medhub.ml.cohort;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.medhub.ml.cohort.CohortFeatures.PatientRecord;
import org.medhub.ml.cohort.CohortSpec.FeatureSpec;

/**
 * One patient's features at prediction time with the resources each value was read from, for
 * decision support that must show (and record, as a RiskAssessment's basis) what it used and how
 * old it is. The values come from {@link CohortFeatures#features}, the same reading as training;
 * a resource counts as evidence for a feature when that reading, given only this resource, yields
 * the feature's value.
 *
 * @param values feature values as {@link CohortFeatures#features} returns them ({@code null} = no value)
 * @param evidence per feature with a value, the resources it came from (empty for a condition
 *     feature that is {@code no}: an absence has no resource)
 */
public record PatientEvidence(Map<String, Object> values, Map<String, List<Source>> evidence) {

    /**
     * A resource a value came from.
     *
     * @param date the observation's effective date or the condition's onset; null for the Patient
     */
    public record Source(Resource resource, LocalDate date) {}

    public static PatientEvidence of(CohortSpec spec, PatientRecord record, LocalDate asOf) {
        Map<String, Object> values = CohortFeatures.features(spec, record, asOf);
        Map<String, List<Source>> evidence = new LinkedHashMap<>();
        for (FeatureSpec feature : spec.features()) {
            Object value = values.get(feature.name());
            List<Source> sources = new ArrayList<>();
            if (value != null && feature.patient() != null) {
                sources.add(new Source(record.patient(), null));
            } else if (value != null && feature.observation() != null) {
                record.observations().stream()
                        .filter(o -> value.equals(alone(spec, record, o, List.of(), asOf).get(feature.name())))
                        .map(o -> new Source(o, day(effective(o))))
                        .filter(s -> s.date() != null)
                        .max(Comparator.comparing(Source::date))
                        .ifPresent(sources::add);
            } else if (CohortFeatures.YES.equals(value)) {
                record.conditions().stream()
                        .filter(c -> CohortFeatures.YES.equals(alone(spec, record, null, List.of(c), asOf).get(feature.name())))
                        .forEach(c -> sources.add(new Source(c, day(onset(c)))));
            }
            evidence.put(feature.name(), List.copyOf(sources));
        }
        return new PatientEvidence(values, evidence);
    }

    /** The features read from the patient and just one observation or the given conditions. */
    private static Map<String, Object> alone(CohortSpec spec, PatientRecord record, Observation observation,
            List<Condition> conditions, LocalDate asOf) {
        List<Observation> observations = observation == null ? List.of() : List.of(observation);
        return CohortFeatures.features(spec, new PatientRecord(record.patient(), observations, conditions), asOf);
    }

    private static BaseDateTimeType effective(Observation o) {
        if (o.hasEffectiveDateTimeType()) {
            return o.getEffectiveDateTimeType();
        }
        return o.hasEffectivePeriod() && o.getEffectivePeriod().hasStart() ? o.getEffectivePeriod().getStartElement()
                : o.getIssuedElement();
    }

    private static BaseDateTimeType onset(Condition c) {
        if (c.hasOnsetDateTimeType()) {
            return c.getOnsetDateTimeType();
        }
        return c.hasOnsetPeriod() && c.getOnsetPeriod().hasStart() ? c.getOnsetPeriod().getStartElement()
                : c.getRecordedDateElement();
    }

    /** The calendar day as recorded, as {@link CohortFeatures} reads it (not shifted to the server's zone). */
    private static LocalDate day(BaseDateTimeType date) {
        String text = date == null ? null : date.getValueAsString();
        return text == null || text.length() < 10 ? null : LocalDate.parse(text.substring(0, 10));
    }

    /** The date of the oldest value used, or null when only the Patient was read. */
    public LocalDate oldest() {
        return evidence.values().stream().flatMap(List::stream).map(Source::date).filter(Objects::nonNull)
                .min(Comparator.naturalOrder()).orElse(null);
    }
}
