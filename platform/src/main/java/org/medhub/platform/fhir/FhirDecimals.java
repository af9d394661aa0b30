package org.medhub.platform.fhir;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import org.hl7.fhir.r4.model.DecimalType;

/**
 * Decimals MedHub writes into FHIR from a {@code double}. FHIR decimals keep their precision as
 * written (R4 2.24.0.1, "decimal": trailing digits are significant), so {@code new DecimalType(0.1 + 0.2)}
 * claims 17 significant digits ({@code 0.30000000000000004}) that no model and no measurement has.
 * Every double goes through here, rounded to the digits the quantity carries.
 */
public final class FhirDecimals {

    /**
     * Significant digits of model outputs (probabilities, explanation contributions): a model's estimate
     * is not meaningful to more, and four keep 0.4123 % apart from 0.4124 %.
     */
    public static final int MODEL_OUTPUT_DIGITS = 4;

    /** Significant digits of a feature value a model used (ages, laboratory values, vital signs). */
    public static final int FEATURE_VALUE_DIGITS = 6;

    private FhirDecimals() {}

    /** {@code value} rounded (half-even) to {@code significantDigits}, without trailing zeros. */
    public static BigDecimal round(double value, int significantDigits) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("a FHIR decimal must be finite, not " + value);
        }
        return plain(BigDecimal.valueOf(value).round(new MathContext(significantDigits, RoundingMode.HALF_EVEN)));
    }

    public static DecimalType decimal(double value, int significantDigits) {
        return new DecimalType(round(value, significantDigits));
    }

    /**
     * A probability on the 0..1 scale as the percentage R4 wants in
     * {@code RiskAssessment.prediction.probabilityDecimal} ("expressed as percentages as well (max =
     * 100)", invariant ras-2), to {@link #MODEL_OUTPUT_DIGITS} significant digits: 0.00412 is 0.412.
     */
    public static DecimalType percent(double probabilityFraction) {
        if (!(probabilityFraction >= 0 && probabilityFraction <= 1)) {
            throw new IllegalArgumentException("a probability fraction is between 0 and 1, not " + probabilityFraction);
        }
        // Scaled in decimal, not in binary: 100 * 0.00412 is 0.41200000000000003 as a double.
        BigDecimal percent = BigDecimal.valueOf(probabilityFraction).movePointRight(2);
        return new DecimalType(plain(percent.round(new MathContext(MODEL_OUTPUT_DIGITS, RoundingMode.HALF_EVEN))));
    }

    /** Without trailing zeros, and without an exponent where the value is a whole number (100, not 1E+2). */
    private static BigDecimal plain(BigDecimal value) {
        BigDecimal stripped = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
