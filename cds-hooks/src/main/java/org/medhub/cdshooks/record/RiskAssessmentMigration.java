package org.medhub.cdshooks.record;

import java.math.BigDecimal;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.hl7.fhir.r4.model.RiskAssessment.RiskAssessmentPredictionComponent;
import org.medhub.platform.fhir.FhirDecimals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites the RiskAssessments an earlier MedHub wrote, whose {@code probabilityDecimal} was a
 * fraction (0..1) that every R4 client reads as a percentage (a hundredfold understatement), into
 * the current form: the percentage, decimals to the digits {@link RiskAssessments} writes, and the
 * format tag. Old ones are found by what MedHub put on them (the model version as {@code method})
 * and the absence of the tag, never by their value.
 *
 * <p>Safe to run on every start and on several nodes at once: what has the tag is left alone, and
 * each rewrite is a versioned update ({@code If-Match}), so a resource another node rewrote first
 * is not multiplied twice; it is read again and counted as done elsewhere.
 */
public final class RiskAssessmentMigration {

    private static final Logger log = LoggerFactory.getLogger(RiskAssessmentMigration.class);

    /** MedHub's RiskAssessments (a MedHub model as method) not yet in the current form. */
    static final String OLD_FORM = "RiskAssessment?method=" + RiskAssessments.MODEL_VERSION_SYSTEM + "%7C"
            + "&_tag:not=" + RiskAssessments.FORMAT_SYSTEM + "%7C" + RiskAssessments.FORMAT_PERCENT + "&_count=100";

    /** How often a resource that keeps changing under the migration is read again before it is left for the next start. */
    private static final int ATTEMPTS = 3;

    /**
     * @param migrated rewritten by this run
     * @param migratedElsewhere found in the old form, then rewritten by another node first
     * @param leftAlone untagged but not in the old form (a probability above 1): logged, not changed
     */
    public record Result(int migrated, int migratedElsewhere, int leftAlone) {}

    private final ServiceFhirClient fhir;

    RiskAssessmentMigration(ServiceFhirClient fhir) {
        this.fhir = fhir;
    }

    public RiskAssessmentMigration(RiskAssessments writer) {
        this(writer.fhir());
    }

    public Result run() {
        int migrated = 0;
        int elsewhere = 0;
        int leftAlone = 0;
        // One search, paged: HAPI keeps its result list, so the rewrites (which leave the match) do not shift the pages.
        Optional<Bundle> page = Optional.of(fhir.search(OLD_FORM));
        while (page.isPresent()) {
            for (Bundle.BundleEntryComponent entry : page.get().getEntry()) {
                if (entry.getResource() instanceof RiskAssessment risk) {
                    switch (migrate(risk)) {
                        case MIGRATED -> migrated++;
                        case ELSEWHERE -> elsewhere++;
                        case LEFT_ALONE -> leftAlone++;
                    }
                }
            }
            page = fhir.next(page.get());
        }
        Result result = new Result(migrated, elsewhere, leftAlone);
        log.info("RiskAssessment migration to probabilityDecimal in percent: {} rewritten, {} rewritten by another node, "
                + "{} left alone", result.migrated(), result.migratedElsewhere(), result.leftAlone());
        return result;
    }

    private enum Outcome { MIGRATED, ELSEWHERE, LEFT_ALONE }

    private Outcome migrate(RiskAssessment found) {
        RiskAssessment risk = found;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (risk.getMeta().getTag(RiskAssessments.FORMAT_SYSTEM, RiskAssessments.FORMAT_PERCENT) != null) {
                return Outcome.ELSEWHERE;
            }
            String id = risk.getIdElement().getIdPart();
            if (!inOldForm(risk)) {
                log.warn("RiskAssessment/{} has MedHub's method but a probability above 1 without the format tag: "
                        + "not a fraction, left as it is", id);
                return Outcome.LEFT_ALONE;
            }
            String version = risk.getMeta().getVersionId();
            if (fhir.updateIfUnchanged(currentForm(risk), version) == 200) {
                return Outcome.MIGRATED;
            }
            risk = fhir.read(RiskAssessment.class, "RiskAssessment/" + id);
        }
        log.warn("RiskAssessment/{} kept changing during the migration; the next start tries again", found.getIdElement().getIdPart());
        return Outcome.LEFT_ALONE;
    }

    /** Every probability a fraction: what form 1 wrote. */
    private static boolean inOldForm(RiskAssessment risk) {
        return risk.getPrediction().stream().filter(RiskAssessmentPredictionComponent::hasProbabilityDecimalType)
                .map(p -> p.getProbabilityDecimalType().getValue())
                .allMatch(p -> p.signum() >= 0 && p.compareTo(BigDecimal.ONE) <= 0);
    }

    /** The same assessment in the form {@link RiskAssessments} writes today. */
    static RiskAssessment currentForm(RiskAssessment old) {
        RiskAssessment risk = old.copy();
        risk.setIdElement(old.getIdElement().toUnqualifiedVersionless());
        for (RiskAssessmentPredictionComponent prediction : risk.getPrediction()) {
            if (prediction.hasProbabilityDecimalType()) {
                prediction.setProbability(FhirDecimals.percent(prediction.getProbabilityDecimalType().getValue().doubleValue()));
            }
        }
        Extension explanation = risk.getExtensionByUrl(RiskAssessments.EXPLANATION);
        if (explanation != null) {
            rewriteDecimals(explanation);
        }
        risk.getMeta().addTag(RiskAssessments.formatTag());
        return risk;
    }

    /** baseValue and each shap, written by form 1 with all 17 digits of a double. */
    private static void rewriteDecimals(Extension extension) {
        if (extension.getValue() instanceof DecimalType decimal && decimal.getValue() != null) {
            extension.setValue(RiskAssessments.modelOutput(decimal.getValue().doubleValue()));
        }
        extension.getExtension().forEach(RiskAssessmentMigration::rewriteDecimals);
    }
}
