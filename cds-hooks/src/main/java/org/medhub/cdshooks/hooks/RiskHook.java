package org.medhub.cdshooks.hooks;

import java.time.LocalDate;
import java.time.Period;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medhub.cdshooks.cards.Assessment;
import org.medhub.cdshooks.cards.RiskBand;
import org.medhub.cdshooks.discovery.CdsService;
import org.medhub.cdshooks.CdsProperties.Thresholds;
import org.medhub.ml.MlEngine;
import org.medhub.ml.MlEngine.ActiveModel;
import org.medhub.ml.MlEngine.Prediction;
import org.medhub.ml.cohort.CohortFeatures.PatientRecord;
import org.medhub.ml.cohort.CohortSpec;
import org.medhub.ml.cohort.PatientEvidence;
import org.medhub.ml.cohort.PatientEvidence.Source;
import org.medhub.ml.prepare.Feature;
import org.medhub.ml.prepare.SchemaViolationException;
import org.medhub.ml.registry.ModelVersion;

/**
 * From a patient's record to an {@link Assessment}: features by the model's spec (the reading used
 * in training), values older than the allowed age dropped, and a prediction with its SHAP
 * explanation only when every value the model cannot do without is there and acceptable. Otherwise
 * the assessment names what is missing and carries no estimate: the service does not guess.
 */
final class RiskHook {

    private final MlEngine engine;
    private final Thresholds thresholds;
    private final Period maxAge;

    RiskHook(MlEngine engine, Thresholds thresholds, Period maxAge) {
        this.engine = engine;
        this.thresholds = thresholds;
        this.maxAge = maxAge;
    }

    Assessment assess(CdsService service, String patientId, PatientRecord record, LocalDate asOf) {
        CohortSpec spec = service.spec();
        ActiveModel model = engine.activeModel(service.model());
        ModelVersion version = model.version();
        PatientEvidence evidence = PatientEvidence.of(spec, record, asOf);
        Map<String, String> unusable = new LinkedHashMap<>();
        Map<String, Object> inputs = new LinkedHashMap<>();
        for (Feature feature : model.features()) {
            String name = feature.name();
            Object value = evidence.values().get(name);
            LocalDate date = evidence.evidence().getOrDefault(name, List.of()).stream().map(Source::date)
                    .filter(java.util.Objects::nonNull).max(LocalDate::compareTo).orElse(null);
            if (!evidence.values().containsKey(name)) {
                unusable.put(name, "the model's FHIR spec does not say where to read it");
                value = null;
            } else if (value == null) {
                unusable.put(name, "no value in the patient's record");
            } else if (date != null && observed(spec, name) && date.plus(maxAge).isBefore(asOf)) {
                unusable.put(name, "the latest value (" + value + ", " + date + ") is older than " + maxAge);
                value = null;
            }
            inputs.put(name, value);
        }
        String outcome = outcomeText(spec);
        int horizon = spec.label().horizonYears();
        boolean required = unusable.keySet().stream().anyMatch(name -> !model.feature(name).nullable());
        if (required) {
            return new Assessment(patientId, version, outcome, horizon, asOf, evidence, unusable, null, null, null);
        }
        Prediction prediction;
        try {
            prediction = engine.predict(version, inputs);
        } catch (SchemaViolationException e) {
            unusable.put(e.field(), e.getMessage());
            return new Assessment(patientId, version, outcome, horizon, asOf, evidence, unusable, null, null, null);
        }
        return new Assessment(patientId, version, outcome, horizon, asOf, evidence, unusable, prediction.probability(),
                RiskBand.of(prediction.probability(), thresholds), prediction.explanation());
    }

    /** Whether the feature is a measurement, which ages; a diagnosis (a condition's onset) stays true. */
    private static boolean observed(CohortSpec spec, String name) {
        return spec.features().stream().anyMatch(f -> f.name().equals(name) && f.observation() != null);
    }

    /** A short name of the outcome for the summary: the label's name in words ({@code cvd_event} -> "cvd event"). */
    private static String outcomeText(CohortSpec spec) {
        return spec.label().name().replace('_', ' ');
    }
}
