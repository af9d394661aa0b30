package org.medhub.cdshooks.cards;

import org.medhub.cdshooks.CdsProperties.Thresholds;

/**
 * The band a probability falls in, with the card indicator (CDS Hooks) and the RiskAssessment
 * qualitative risk (code system {@code http://terminology.hl7.org/CodeSystem/risk-probability}) it maps to.
 */
public enum RiskBand {
    LOW("low", "info", "low"),
    INTERMEDIATE("intermediate", "warning", "moderate"),
    HIGH("high", "critical", "high");

    private final String label;
    private final String indicator;
    private final String riskProbability;

    RiskBand(String label, String indicator, String riskProbability) {
        this.label = label;
        this.indicator = indicator;
        this.riskProbability = riskProbability;
    }

    public static RiskBand of(double probability, Thresholds thresholds) {
        if (probability >= thresholds.critical()) {
            return HIGH;
        }
        return probability >= thresholds.warning() ? INTERMEDIATE : LOW;
    }

    public String label() {
        return label;
    }

    public String indicator() {
        return indicator;
    }

    public String riskProbability() {
        return riskProbability;
    }
}
