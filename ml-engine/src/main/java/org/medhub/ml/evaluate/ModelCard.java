package org.medhub.ml.evaluate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The model card published with every version (after Mitchell et al., "Model Cards for Model
 * Reporting"): intended use, data, held-out metrics, subgroup results with flagged gaps, and
 * limitations, as JSON and as Markdown.
 */
public record ModelCard(Map<String, Object> json, String markdown) {

    public static ModelCard of(String name, int version, String algorithm, Map<String, Double> hyperparameters,
            String target, String positiveClass, int trainRows, int testRows, String fingerprint, Evaluation e,
            SubgroupReport subgroups, Map<String, Double> importance, String selectionMetric) {
        String intendedUse = "Decision support: estimates the probability that '" + target + "' is '" + positiveClass
                + "'. For use by clinicians alongside their own judgement, on patients like those in the training data; "
                + "not a diagnosis and not validated for other populations.";
        List<String> limitations = List.of(
                "Evaluated on a held-out split of the same dataset (" + testRows + " rows), not on an external population.",
                "Inputs outside the training ranges and categories are refused rather than extrapolated.",
                "Subgroups smaller than " + subgroups.minGroupSize() + " rows are reported but not compared.",
                subgroups.flagged().isEmpty()
                        ? "No subgroup gap above " + subgroups.tolerance() + " was found."
                        : subgroups.flagged().size() + " subgroup gap(s) above " + subgroups.tolerance()
                                + " were found; review them before use.");
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("auc", e.auc());
        metrics.put("averagePrecision", e.averagePrecision());
        metrics.put("accuracy", e.accuracy());
        metrics.put("precision", e.precision());
        metrics.put("recall", e.recall());
        metrics.put("f1", e.f1());
        metrics.put("brier", e.brier());
        metrics.put("threshold", e.threshold());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", Map.of("name", name, "version", version, "algorithm", algorithm,
                "hyperparameters", hyperparameters, "selectionMetric", selectionMetric));
        json.put("intendedUse", intendedUse);
        json.put("data", Map.of("target", target, "positiveClass", positiveClass, "trainingRows", trainRows,
                "testRows", testRows, "fingerprint", fingerprint));
        json.put("metrics", metrics);
        json.put("subgroups", subgroups.groups());
        json.put("flaggedGaps", subgroups.flagged());
        json.put("globalImportance", importance);
        json.put("limitations", limitations);

        StringBuilder md = new StringBuilder();
        md.append("# Model card: ").append(name).append(" v").append(version).append("\n\n");
        md.append("**Algorithm:** ").append(algorithm).append(' ').append(hyperparameters)
                .append(" (chosen by cross-validated ").append(selectionMetric).append(")\n\n");
        md.append("## Intended use\n\n").append(intendedUse).append("\n\n");
        md.append("## Data\n\nTarget `").append(target).append("` (positive: `").append(positiveClass).append("`), ")
                .append(trainRows).append(" training rows, ").append(testRows).append(" held-out rows, data ")
                .append(fingerprint).append(".\n\n");
        md.append("## Held-out metrics\n\n| metric | value |\n|---|---|\n");
        metrics.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(format(v)).append(" |\n"));
        md.append("\n## Subgroups\n\n| attribute | group | n | AUC | TPR | FPR | calibration error |\n|---|---|---|---|---|---|---|\n");
        for (SubgroupReport.Group g : subgroups.groups()) {
            md.append("| ").append(g.attribute()).append(" | ").append(g.group()).append(" | ").append(g.count())
                    .append(" | ").append(format(g.auc())).append(" | ").append(format(g.tpr())).append(" | ")
                    .append(format(g.fpr())).append(" | ").append(format(g.calibrationError())).append(" |\n");
        }
        md.append("\nLargest gaps: ");
        md.append(subgroups.gaps().isEmpty() ? "none computed" : subgroups.gaps().stream().limit(3)
                .map(gap -> gap.metric() + " by " + gap.attribute() + " " + format(gap.gap()) + (gap.flagged() ? " (flagged)" : ""))
                .reduce((a, b) -> a + "; " + b).orElse(""));
        md.append("\n\n## Most important features (mean |SHAP|)\n\n");
        importance.forEach((k, v) -> md.append("- ").append(k).append(": ").append(format(v)).append('\n'));
        md.append("\n## Limitations\n\n");
        limitations.forEach(l -> md.append("- ").append(l).append('\n'));
        return new ModelCard(json, md.toString());
    }

    private static String format(Object value) {
        return value instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : String.valueOf(value);
    }
}
