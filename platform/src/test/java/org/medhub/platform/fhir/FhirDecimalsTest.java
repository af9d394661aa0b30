package org.medhub.platform.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.junit.jupiter.api.Test;

/** What a client reads in the JSON: the digits written, not a double's binary noise. */
class FhirDecimalsTest {

    @Test
    void aProbabilityFractionIsWrittenAsAPercentageToFourSignificantDigits() {
        assertThat(json(FhirDecimals.percent(0.00412))).isEqualTo("0.412");
        assertThat(json(FhirDecimals.percent(0.004123456789012345))).isEqualTo("0.4123");
        assertThat(json(FhirDecimals.percent(0.14159265358979))).isEqualTo("14.16");
        assertThat(json(FhirDecimals.percent(1))).isEqualTo("100");
        assertThat(json(FhirDecimals.percent(0))).isEqualTo("0");
    }

    @Test
    void aProbabilityOutsideZeroToOneIsRefusedRatherThanWrittenOnAnotherScale() {
        for (double wrong : new double[] {-0.01, 1.0001, 41.2, Double.NaN}) {
            assertThatThrownBy(() -> FhirDecimals.percent(wrong)).as(String.valueOf(wrong))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aDoubleIsRoundedToTheGivenSignificantDigitsWithoutTrailingZerosOrAnExponent() {
        assertThat(json(FhirDecimals.decimal(0.1 + 0.2, 4))).isEqualTo("0.3");
        assertThat(json(FhirDecimals.decimal(-0.123456789, 4))).isEqualTo("-0.1235");
        assertThat(json(FhirDecimals.decimal(162.0, 6))).isEqualTo("162");
        assertThat(json(FhirDecimals.decimal(123456789.0, 4))).isEqualTo("123500000");
        assertThat(json(FhirDecimals.decimal(31.2, 6))).isEqualTo("31.2");
        assertThatThrownBy(() -> FhirDecimals.decimal(Double.POSITIVE_INFINITY, 4)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The decimal as a FHIR JSON client reads it. */
    private static String json(DecimalType decimal) {
        RiskAssessment holder = new RiskAssessment();
        holder.addPrediction().setProbability(decimal);
        String encoded = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(holder);
        return encoded.replaceAll(".*\"probabilityDecimal\":([^,}]+).*", "$1");
    }
}
