package org.medhub.cdshooks.cards;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.medhub.ml.cohort.PatientEvidence;
import org.medhub.ml.explain.ShapExplanation;
import org.medhub.ml.registry.ModelVersion;
import org.medhub.platform.fhir.FhirDecimals;

/**
 * What one service call found out, from which the card and the RiskAssessment are both written (so
 * they cannot disagree).
 *
 * @param evidence the patient's features and the resources they came from
 * @param unusable features that had no value or only one older than allowed, with the reason
 * @param probabilityFraction of the outcome as the ML engine gives it, a fraction (0..1); null when no
 *     prediction was made. FHIR and the card say it as a percentage: {@link #probabilityPercent()}
 * @param band the risk band, null when no prediction was made
 * @param shap the explanation, null when no prediction was made
 */
public record Assessment(
        String patientId, ModelVersion version, String outcome, int horizonYears, LocalDate asOf,
        PatientEvidence evidence, Map<String, String> unusable, Double probabilityFraction, RiskBand band,
        ShapExplanation shap) {

    public Assessment {
        unusable = Map.copyOf(unusable);
    }

    public boolean predicted() {
        return probabilityFraction != null;
    }

    /**
     * The probability as a percentage (0..100), as written into
     * {@code RiskAssessment.prediction.probabilityDecimal} (4 significant digits).
     */
    public BigDecimal probabilityPercent() {
        return FhirDecimals.percent(probabilityFraction).getValue();
    }

    /** The percentage as the card and the RiskAssessment's note show it, from the value written: "0.4 %". */
    public String percentText() {
        return probabilityPercent().setScale(1, RoundingMode.HALF_UP).toPlainString() + " %";
    }

    /** Features ordered by the size of their contribution, largest first. */
    public List<Map.Entry<String, Double>> topFactors(int n) {
        return shap.contributions().entrySet().stream()
                .sorted((a, b) -> Double.compare(Math.abs(b.getValue()), Math.abs(a.getValue())))
                .limit(n).toList();
    }
}
