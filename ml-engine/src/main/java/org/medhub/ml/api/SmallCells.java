package org.medhub.ml.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.medhub.ml.MlProperties;
import org.medhub.ml.cohort.CohortPulls.PullStatus;
import org.medhub.ml.dataset.ColumnReport;
import org.medhub.ml.dataset.DatasetStore.StoredDataset;
import org.medhub.ml.dataset.Disclosure;

/**
 * Statistical disclosure control for what {@code /ml/api} shows about the patients behind a dataset
 * (issue 13, item 10). For callers other than admins, one answer at a time:
 * <ul>
 * <li>a count from 1 to {@code min-cell-size - 1} is withheld ({@code null}, its path listed in
 * {@code disclosure.withheld}); so is a count whose complement in its group is that small (positives when
 * fewer than k are negative), which would otherwise follow by subtraction;
 * <li>every other count is rounded to a multiple of {@code count-rounding} (never below k), so that two
 * cohorts differing by one patient mostly show the same numbers;
 * <li>ranges (min, max) of a column with fewer than k values, and the rates and calibration of a subgroup or
 * calibration bin with fewer than k members (or k positives or negatives), are withheld.
 * </ul>
 * Zero counts stay exact. The limit, documented in docs/ml-engine.md: rounding blurs differencing but does not
 * make it impossible (a difference that crosses a rounding boundary still says something, and a patient
 * who is the extreme of a large column still sets its min or max); the audit trail records each pull and
 * each description so that probing with near-identical cohorts can be spotted.
 */
final class SmallCells {

    private final int minCellSize;
    private final int rounding;

    SmallCells(MlProperties properties) {
        this.minCellSize = properties.minCellSize();
        this.rounding = properties.countRounding();
    }

    /** The dataset as the current caller may see it. */
    StoredDataset dataset(StoredDataset stored) {
        Answer answer = new Answer();
        if (answer.exact) {
            return withDisclosure(stored, stored.rows(), stored.positives(), stored.columns(), answer);
        }
        int rows = stored.rows();
        List<ColumnReport> columns = new ArrayList<>();
        for (ColumnReport c : stored.columns()) {
            String at = "columns[" + c.name() + "]";
            int present = rows - c.missing();
            boolean range = c.min() != null && !answer.small(present, at + ".min", at + ".max");
            columns.add(new ColumnReport(c.name(), c.type(), c.inferred(), answer.count(at + ".missing", c.missing(), rows),
                    c.distinct(), range ? c.min() : null, range ? c.max() : null, c.categories()));
        }
        return withDisclosure(stored, answer.count("rows", rows, rows),
                answer.count("positives", stored.positives(), rows), columns, answer);
    }

    /** A cohort pull's status as the current caller may see it. */
    PullStatus pull(PullStatus status) {
        Answer answer = new Answer();
        if (answer.exact) {
            return status;
        }
        Integer rows = status.rows();
        return new PullStatus(status.id(), status.name(), status.status(), status.phase(), status.percent(),
                status.startedAt(), status.finishedAt(), status.startedBy(), status.indexDate(),
                answer.count("patientsRead", status.patientsRead(), null), status.datasetId(),
                answer.count("rows", rows, null), answer.count("positives", status.positives(), rows), status.error(),
                status.trainingRun());
    }

    /** A version's details (JSON columns as trees) as the current caller may see them. */
    Map<String, Object> modelDetails(Map<String, Object> details) {
        Answer answer = new Answer();
        if (answer.exact) {
            return details;
        }
        Map<String, Object> shown = new LinkedHashMap<>(details);
        if (details.get("metrics") instanceof ObjectNode metrics) {
            ObjectNode m = metrics.deepCopy();
            answer.countField(m, "trainRows", "metrics.trainRows", null);
            answer.countField(m, "testRows", "metrics.testRows", null);
            evaluation(answer, m.get("heldOut"), "metrics.heldOut");
            m.path("heldOutByAlgorithm").properties().forEach(e ->
                    evaluation(answer, e.getValue(), "metrics.heldOutByAlgorithm." + e.getKey()));
            shown.put("metrics", m);
        }
        if (details.get("fairness") instanceof ObjectNode fairness) {
            ObjectNode f = fairness.deepCopy();
            List<String> hidden = groups(answer, f.path("groups"), "fairness.groups");
            if (f.path("gaps") instanceof ArrayNode gaps) {
                ArrayNode kept = f.arrayNode();
                for (JsonNode gap : gaps) {
                    String attribute = gap.path("attribute").asText() + "=";
                    if (hidden.contains(attribute + gap.path("lowest").asText())
                            || hidden.contains(attribute + gap.path("highest").asText())) {
                        answer.withheld.add("fairness.gaps[" + gap.path("attribute").asText() + "."
                                + gap.path("metric").asText() + "]");
                    } else {
                        kept.add(gap);
                    }
                }
                f.set("gaps", kept);
            }
            shown.put("fairness", f);
        }
        if (details.get("curves") instanceof ObjectNode curves) {
            ObjectNode c = curves.deepCopy();
            bins(answer, c.path("calibration"), "curves.calibration");
            shown.put("curves", c);
        }
        if (details.get("modelCard") instanceof ObjectNode card) {
            ObjectNode mc = card.deepCopy();
            if (mc.path("data") instanceof ObjectNode data) {
                answer.countField(data, "trainingRows", "modelCard.data.trainingRows", null);
                answer.countField(data, "testRows", "modelCard.data.testRows", null);
            }
            groups(answer, mc.path("subgroups"), "modelCard.subgroups");
            mc.remove("flaggedGaps");
            if (mc.path("limitations") instanceof ArrayNode limitations) {
                ArrayNode censored = mc.arrayNode();
                limitations.forEach(l -> censored.add(heldOut(l.asText(), mc)));
                mc.set("limitations", censored);
            }
            shown.put("modelCard", mc);
        }
        if (details.get("modelCardMarkdown") instanceof String markdown && shown.get("modelCard") instanceof JsonNode card) {
            shown.put("modelCardMarkdown", markdown(markdown, card));
        }
        shown.put("disclosure", answer.disclosure());
        return shown;
    }

    /** The Markdown model card as the current caller may see it: the same withholding as the JSON card. */
    String modelCard(Map<String, Object> details) {
        return (String) modelDetails(details).get("modelCardMarkdown");
    }

    private static final Pattern ROWS = Pattern.compile("\\d+ training rows, \\d+ held-out rows");
    private static final Pattern HELD_OUT = Pattern.compile("held-out split of the same dataset \\(\\d+ rows\\)");

    /**
     * Rewrites the counts in the card's Markdown ({@code ModelCard}) from the censored JSON: the data line, the
     * held-out size, the subgroup table (n and rates) and the gaps of attributes with a withheld group.
     */
    private static String markdown(String markdown, JsonNode card) {
        String train = shown(card.at("/data/trainingRows"));
        String text = ROWS.matcher(markdown).replaceAll(Matcher.quoteReplacement(train + " training rows, "
                + shown(card.at("/data/testRows")) + " held-out rows"));
        text = heldOut(text, card);
        Map<String, JsonNode> groups = new LinkedHashMap<>();
        List<String> attributesWithheld = new ArrayList<>();
        for (JsonNode g : card.path("subgroups")) {
            groups.put(g.path("attribute").asText() + "|" + g.path("group").asText(), g);
            if (!g.has("tpr")) {
                attributesWithheld.add(g.path("attribute").asText());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String[] cells = line.split(" \\| ");
            JsonNode group = cells.length == 7 && line.startsWith("| ")
                    ? groups.get(cells[0].substring(2) + "|" + cells[1]) : null;
            if (group != null) {
                line = "| " + cells[0].substring(2) + " | " + cells[1] + " | " + shown(group.path("count")) + " | "
                        + (group.has("tpr") ? String.join(" | ", List.of(cells).subList(3, 7)) : "withheld | withheld | withheld | withheld |");
            } else if (line.startsWith("Largest gaps: ")) {
                line = "Largest gaps: " + List.of(line.substring(14).split("; ")).stream()
                        .filter(gap -> attributesWithheld.stream().noneMatch(a -> gap.contains(" by " + a + " ")))
                        .reduce((a, b) -> a + "; " + b).orElse("withheld (a group is smaller than the minimum cell size)");
            }
            out.append(line).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    private static String heldOut(String text, JsonNode card) {
        return HELD_OUT.matcher(text).replaceAll(Matcher.quoteReplacement("held-out split of the same dataset ("
                + shown(card.at("/data/testRows")) + " rows)"));
    }

    private static String shown(JsonNode count) {
        return count.isNull() || count.isMissingNode() ? "fewer than the minimum cell size" : count.asText();
    }

    private static void evaluation(Answer answer, JsonNode node, String at) {
        if (node instanceof ObjectNode e) {
            Integer count = e.path("count").isInt() ? e.path("count").asInt() : null;
            answer.countField(e, "count", at + ".count", null);
            answer.countField(e, "positives", at + ".positives", count);
            if (e.path("confusionMatrix") instanceof ObjectNode matrix) {
                matrix.properties().stream().map(Map.Entry::getKey).toList().forEach(cell ->
                        answer.countField(matrix, cell, at + ".confusionMatrix." + cell, count));
            }
        }
    }

    /** Censors subgroup rows; answers the {@code attribute=group} keys whose results were withheld. */
    private static List<String> groups(Answer answer, JsonNode groups, String at) {
        List<String> hidden = new ArrayList<>();
        for (JsonNode node : groups) {
            if (node instanceof ObjectNode g) {
                String key = g.path("attribute").asText() + "=" + g.path("group").asText();
                String path = at + "[" + key + "]";
                int count = g.path("count").asInt();
                int positives = g.path("positives").asInt();
                if (answer.small(count, path) || answer.small(positives, path) || answer.small(count - positives, path)) {
                    g.remove(List.of("auc", "tpr", "fpr", "calibrationError", "calibration"));
                    hidden.add(key);
                } else {
                    bins(answer, g.path("calibration"), path + ".calibration");
                }
                answer.countField(g, "count", path + ".count", null);
                answer.countField(g, "positives", path + ".positives", count);
            }
        }
        return hidden;
    }

    private static void bins(Answer answer, JsonNode bins, String at) {
        int i = 0;
        for (JsonNode node : bins) {
            if (node instanceof ObjectNode bin) {
                String path = at + "[" + i + "]";
                if (answer.small(bin.path("count").asInt(), path + ".observedRate")) {
                    bin.remove(List.of("observedRate", "meanPredicted"));
                }
                answer.countField(bin, "count", path + ".count", null);
            }
            i++;
        }
    }

    private static StoredDataset withDisclosure(StoredDataset d, Integer rows, Integer positives,
            List<ColumnReport> columns, Answer answer) {
        return new StoredDataset(d.id(), d.name(), d.uploadedAt(), d.uploadedBy(), d.fingerprint(), d.spec(), rows,
                positives, d.positiveClass(), columns, answer.disclosure());
    }

    /** One answer being censored: whether the caller sees exact values, and what was withheld. */
    private final class Answer {
        final boolean exact = MlAccess.SEE_SMALL_CELLS.granted();
        final List<String> withheld = new ArrayList<>();

        /** Whether {@code n} is a small cell (1 to k-1); if so, the paths are recorded as withheld. */
        boolean small(int n, String... paths) {
            boolean small = !exact && n > 0 && n < minCellSize;
            if (small) {
                withheld.addAll(List.of(paths));
            }
            return small;
        }

        /**
         * The count as shown: withheld when it, or its complement within {@code total}, is a small cell;
         * otherwise rounded.
         */
        Integer count(String path, Integer n, Integer total) {
            if (exact || n == null) {
                return n;
            }
            if (small(n, path) || (total != null && small(total - n, path))) {
                return null;
            }
            return n == 0 ? 0 : Math.max(minCellSize, (int) Math.round(n / (double) rounding) * rounding);
        }

        void countField(ObjectNode node, String field, String path, Integer total) {
            if (node.path(field).isInt()) {
                Integer shown = count(path, node.get(field).asInt(), total);
                if (shown == null) {
                    node.putNull(field);
                } else {
                    node.put(field, shown);
                }
            }
        }

        Disclosure disclosure() {
            return new Disclosure(exact, minCellSize, exact ? 1 : rounding, withheld.stream().distinct().toList());
        }
    }
}
