package org.medhub.cdshooks.cards;

import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Resource;
import org.medhub.cdshooks.CdsProperties.Thresholds;
import org.medhub.ml.cohort.PatientEvidence.Source;
import org.medhub.ml.registry.ModelVersion;

/**
 * CDS Hooks 2.0 cards from an {@link Assessment}: a summary under 140 characters with the risk and
 * its band, the indicator of the band, a markdown detail (top factors with their direction, the
 * model and version, the data used and its age, what was missing), the model card as source, a
 * SMART link to the clinician app, and override reasons to choose from in feedback.
 */
public final class Cards {

    /** The spec's limit for {@code summary}. */
    static final int MAX_SUMMARY = 140;
    static final int TOP_FACTORS = 5;
    public static final String OVERRIDE_REASON_SYSTEM = "urn:medhub:cds:override-reason";
    private static final List<Card.Coding> OVERRIDE_REASONS = List.of(
            reason("data-outdated", "The patient's data used is out of date"),
            reason("already-managed", "Risk already known and managed"),
            reason("disagree", "Estimate does not fit my clinical judgement"));

    private final Thresholds thresholds;

    public Cards(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    /**
     * @param baseUrl this server's external base URL (for the model card and the app link)
     */
    public Card card(UUID uuid, Assessment a, String baseUrl) {
        ModelVersion v = a.version();
        return new Card(uuid.toString(), summary(a), a.predicted() ? a.band().indicator() : "info", detail(a),
                new Card.Source("MedHub " + v.name() + " v" + v.version(),
                        baseUrl + "/ml/api/models/" + v.name() + "/versions/" + v.version() + "/model-card"),
                OVERRIDE_REASONS,
                List.of(new Card.Link("Open the MedHub clinician app", baseUrl + "/app/", "smart",
                        "patient=" + a.patientId())));
    }

    static String summary(Assessment a) {
        String model = a.version().name() + " v" + a.version().version();
        String text = a.predicted()
                ? String.format(Locale.ROOT, "%s-year risk %s: %s (%s)", a.horizonYears(), a.outcome(), a.percentText(),
                        a.band().label())
                // "No usable value": missing, too old or outside what the model was trained on (the detail says which).
                : "No " + a.horizonYears() + "-year risk estimate: no usable value for " + String.join(", ", a.unusable().keySet());
        text = text + " - " + model;
        return text.length() < MAX_SUMMARY ? text : text.substring(0, MAX_SUMMARY - 2) + "…";
    }

    private String detail(Assessment a) {
        StringBuilder md = new StringBuilder();
        ModelVersion v = a.version();
        if (a.predicted()) {
            md.append(String.format(Locale.ROOT, "**Estimated %d-year risk of %s: %s** (%s; bands: below %s low, "
                            + "from %s intermediate, from %s high).%n%n", a.horizonYears(), a.outcome(),
                    a.percentText(), a.band().label(), percent(thresholds.warning()),
                    percent(thresholds.warning()), percent(thresholds.critical())));
            md.append("Top contributing factors (SHAP, ").append(a.shap().method()).append(", in ")
                    .append(a.shap().outputSpace()).append("):\n\n| factor | value | effect |\n|---|---|---|\n");
            for (Map.Entry<String, Double> factor : a.topFactors(TOP_FACTORS)) {
                double c = factor.getValue();
                md.append(String.format(Locale.ROOT, "| %s | %s | %s (%+.3f) |%n", factor.getKey(),
                        value(a.evidence().values().get(factor.getKey())),
                        c > 0 ? "raises risk" : c < 0 ? "lowers risk" : "no effect", c));
            }
            md.append('\n');
        } else {
            md.append("**No estimate**: the record lacks values the model needs; it does not guess them.\n\n");
        }
        if (!a.unusable().isEmpty()) {
            md.append("Not available:\n\n");
            a.unusable().forEach((feature, why) -> md.append("- ").append(feature).append(": ").append(why).append('\n'));
            md.append('\n');
        }
        md.append("Data used (as of ").append(a.asOf()).append("):\n\n");
        for (Map.Entry<String, List<Source>> used : a.evidence().evidence().entrySet()) {
            if (a.unusable().containsKey(used.getKey())) {
                continue;
            }
            md.append("- ").append(used.getKey()).append(" = ").append(value(a.evidence().values().get(used.getKey())));
            List<String> sources = new ArrayList<>();
            for (Source source : used.getValue()) {
                sources.add(reference(source.resource()) + (source.date() == null ? "" : ", " + source.date() + " ("
                        + age(source.date(), a.asOf()) + " old)"));
            }
            md.append(sources.isEmpty() ? "" : " from " + String.join("; ", sources)).append('\n');
        }
        md.append("\nModel: ").append(v.name()).append(" version ").append(v.version()).append(" (")
                .append(v.algorithm()).append(", training data ").append(v.dataFingerprint()).append(").");
        return md.toString();
    }

    /** A threshold (configured as a fraction, like the ML engine's probabilities) as a percentage. */
    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * fraction);
    }

    private static String value(Object value) {
        if (value instanceof Double d) {
            return d == Math.rint(d) ? String.valueOf(d.longValue()) : String.format(Locale.ROOT, "%.1f", d);
        }
        return String.valueOf(value);
    }

    static String reference(Resource resource) {
        return resource.getResourceType().name() + "/" + resource.getIdElement().getIdPart();
    }

    private static String age(LocalDate date, LocalDate asOf) {
        Period p = Period.between(date, asOf);
        if (p.getYears() > 0) {
            return p.getYears() + (p.getYears() == 1 ? " year" : " years");
        }
        return p.getMonths() > 0 ? p.getMonths() + (p.getMonths() == 1 ? " month" : " months") : p.getDays() + " days";
    }

    private static Card.Coding reason(String code, String display) {
        return new Card.Coding(code, OVERRIDE_REASON_SYSTEM, display);
    }
}
