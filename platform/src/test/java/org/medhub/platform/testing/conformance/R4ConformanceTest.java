package org.medhub.platform.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

/** The validator the conformance tests rely on finds what R4 forbids, so a pass means something. */
class R4ConformanceTest {

    private final R4Conformance conformance = R4Conformance.shared();

    @Test
    void aValidPatientConforms() {
        Patient patient = new Patient();
        patient.addName().setFamily("Delrío").addGiven("Adán");
        patient.setGender(AdministrativeGender.MALE);
        assertThat(conformance.errors(patient)).isEmpty();
    }

    @Test
    void aProbabilityAboveOneHundredPercentBreaksInvariantRas2() {
        RiskAssessment assessment = riskAssessment();
        assessment.addPrediction().setProbability(new org.hl7.fhir.r4.model.DecimalType(new BigDecimal("150")));
        assertThat(conformance.errors(assessment)).anySatisfy(error -> assertThat(error).contains("ras-2"));
        assertThatThrownBy(() -> conformance.assertConforms(assessment)).hasMessageContaining("ras-2");
    }

    @Test
    void anExtensionWithoutADefinitionIsAnError() {
        RiskAssessment assessment = riskAssessment();
        assessment.addExtension("https://example.org/fhir/StructureDefinition/undefined", new StringType("x"));
        assertThat(conformance.errors(assessment)).isNotEmpty();
    }

    @Test
    void aMissingRequiredElementIsAnError() {
        RiskAssessment assessment = new RiskAssessment(); // status and subject are 1..1
        assertThat(conformance.errors(assessment)).anySatisfy(error -> assertThat(error).contains("status"));
    }

    private static RiskAssessment riskAssessment() {
        RiskAssessment assessment = new RiskAssessment();
        assessment.setStatus(RiskAssessment.RiskAssessmentStatus.FINAL);
        assessment.setSubject(new Reference("Patient/1"));
        return assessment;
    }
}
