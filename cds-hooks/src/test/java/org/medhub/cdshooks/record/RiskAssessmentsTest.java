package org.medhub.cdshooks.record;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.junit.jupiter.api.Test;
import org.medhub.cdshooks.cards.Assessment;
import org.medhub.cdshooks.cards.RiskBand;
import org.medhub.ml.cohort.PatientEvidence;
import org.medhub.ml.cohort.PatientEvidence.Source;
import org.medhub.ml.explain.ShapExplanation;
import org.medhub.ml.registry.ModelVersion;
import org.medhub.cdshooks.OldRiskAssessments;
import org.medhub.platform.testing.conformance.R4Conformance;

/** The RiskAssessment as an R4 client reads its JSON: a percentage, sensible digits, the format tag. */
class RiskAssessmentsTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void aFractionOf000412IsWrittenAsTheFhirPercentage0412AndTheNoteAgrees() {
        RiskAssessment risk = RiskAssessments.riskAssessment(assessment(0.00412), "hook-1", "Device/7");
        String json = FHIR.newJsonParser().encodeResourceToString(risk);

        assertThat(json).contains("\"probabilityDecimal\":0.412,");
        assertThat(risk.getNoteFirstRep().getText()).isEqualTo("5-year risk of cvd event: 0.4 % (low), by cvd-risk version 1.");
        assertThat(risk.getMeta().getTag(RiskAssessments.FORMAT_SYSTEM, RiskAssessments.FORMAT_PERCENT)).isNotNull();
        R4Conformance.shared().assertConforms(risk);
    }

    @Test
    void explanationDecimalsAndFeatureValuesCarryTheirDigitsNotADoublesAndAMissingValueIsLeftOut() {
        RiskAssessment risk = RiskAssessments.riskAssessment(assessment(0.14159265358979), "hook-2", "Device/7");
        String json = FHIR.newJsonParser().encodeResourceToString(risk);

        assertThat(json).contains("\"probabilityDecimal\":14.16,", "\"url\":\"baseValue\",\"valueDecimal\":-1.735}",
                "\"valueString\":\"sbp\"},{\"url\":\"value\",\"valueString\":\"162\"},{\"url\":\"shap\",\"valueDecimal\":0.4123}",
                "\"valueString\":\"age\"},{\"url\":\"value\",\"valueString\":\"64\"},{\"url\":\"shap\",\"valueDecimal\":-0.03}",
                "\"valueString\":\"hdl\"},{\"url\":\"shap\",\"valueDecimal\":0}")
                .doesNotContain("null", "0.41234567", "-0.0300000");
        R4Conformance.shared().assertConforms(risk);
    }

    @Test
    void aRiskAssessmentInForm1IsRewrittenAsAPercentageWithTheTagAndRoundedDecimals() {
        RiskAssessment old = FHIR.newJsonParser().parseResource(RiskAssessment.class, form1(0.004123456789012345));
        old.setId("RiskAssessment/5/_history/1");

        RiskAssessment current = RiskAssessmentMigration.currentForm(old);

        assertThat(current.getPredictionFirstRep().getProbabilityDecimalType().getValueAsString()).isEqualTo("0.4123");
        assertThat(current.getMeta().getTag(RiskAssessments.FORMAT_SYSTEM, RiskAssessments.FORMAT_PERCENT)).isNotNull();
        assertThat(current.getIdElement().getValue()).isEqualTo("RiskAssessment/5");
        Extension explanation = current.getExtensionByUrl(RiskAssessments.EXPLANATION);
        assertThat(explanation.getExtensionByUrl("baseValue").getValue().primitiveValue()).isEqualTo("-1.735");
        assertThat(explanation.getExtensionsByUrl("contribution").get(0).getExtensionByUrl("shap").getValue().primitiveValue())
                .isEqualTo("0.4123");
        assertThat(old.getPredictionFirstRep().getProbabilityDecimalType().getValueAsString())
                .as("the resource read is not changed").isEqualTo("0.004123456789012345");
    }

    /** A RiskAssessment as MedHub wrote it before issue 14 (probabilityDecimal 0..1, no format tag). */
    private static String form1(double probabilityFraction) {
        return OldRiskAssessments.json(Map.of("hookInstance", UUID.randomUUID().toString(), "modelVersion", UUID.randomUUID().toString(),
                "patient", "1", "device", "2", "probabilityFraction", Double.toString(probabilityFraction),
                "noted", String.format(java.util.Locale.ROOT, "%.1f %%", 100 * probabilityFraction)));
    }

    private static Assessment assessment(double probabilityFraction) {
        ModelVersion version = new ModelVersion(UUID.randomUUID(), "cvd-risk", 1, "LOGISTIC_REGRESSION", Instant.now(),
                "researcher", true, "sha256:0123", ModelVersion.State.ACTIVE);
        Map<String, Object> values = new HashMap<>();
        values.put("sbp", 162.0);
        values.put("age", 64.0);
        values.put("hdl", null);
        Observation sbp = new Observation();
        sbp.setId("Observation/11");
        PatientEvidence evidence = new PatientEvidence(values, Map.of("sbp", List.of(new Source(sbp, LocalDate.now()))));
        Map<String, Double> contributions = new LinkedHashMap<>();
        contributions.put("sbp", 0.41234567890123456);
        contributions.put("age", -0.030000000000000027);
        contributions.put("hdl", 0.0);
        ShapExplanation shap = new ShapExplanation("linear", "log-odds", -1.7351828301174213, -1.353, contributions);
        return new Assessment("1", version, "cvd event", 5, LocalDate.now(), evidence, Map.of(), probabilityFraction,
                RiskBand.LOW, shap);
    }
}
