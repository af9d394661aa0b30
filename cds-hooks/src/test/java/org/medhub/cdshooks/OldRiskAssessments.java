package org.medhub.cdshooks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * RiskAssessments as MedHub wrote them before issue 14 ({@code risk-assessment-form-1.json}, the
 * shape of that writer's output): {@code probabilityDecimal} on 0..1, decimals with all of a
 * double's digits, no format tag.
 */
public final class OldRiskAssessments {

    private OldRiskAssessments() {}

    /**
     * The JSON with its placeholders ({@code hookInstance}, {@code modelVersion}, {@code patient},
     * {@code device}, {@code probabilityFraction}, {@code noted}) filled in.
     */
    public static String json(Map<String, String> values) {
        try (InputStream in = OldRiskAssessments.class.getResourceAsStream("record/risk-assessment-form-1.json")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> value : values.entrySet()) {
                text = text.replace("${" + value.getKey() + "}", value.getValue());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
