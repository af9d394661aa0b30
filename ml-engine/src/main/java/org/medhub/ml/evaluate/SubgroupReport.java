package org.medhub.ml.evaluate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.medhub.ml.dataset.DatasetSpec.Subgroup;

/**
 * The bias check: held-out metrics (AUC, TPR, FPR, calibration error and curve) per group of each subgroup attribute (sex, age band, ...) and,
 * per attribute and metric, the gap between the best and worst group, flagged when above the
 * configured tolerance. Groups smaller than {@code minGroupSize} are reported but not compared.
 */
public record SubgroupReport(List<Group> groups, List<Gap> gaps, double tolerance, int minGroupSize) {

    /** One group's results; {@code auc} is {@code null} when the group holds only one class. */
    public record Group(String attribute, String group, int count, int positives, Double auc, double tpr, double fpr,
            double calibrationError, List<CalibrationBin> calibration) {}

    /** The largest difference of one metric within one attribute. */
    public record Gap(String attribute, String metric, double gap, String lowest, String highest, boolean flagged) {}

    public static SubgroupReport of(List<Subgroup> subgroups, List<Map<String, Object>> rows, boolean[] outcomes,
            double[] probabilities, double threshold, double tolerance, int minGroupSize) {
        List<Group> groups = new ArrayList<>();
        List<Gap> gaps = new ArrayList<>();
        for (Subgroup subgroup : subgroups) {
            Map<String, List<Integer>> members = new LinkedHashMap<>();
            for (int i = 0; i < rows.size(); i++) {
                String group = groupOf(subgroup, rows.get(i).get(subgroup.column()));
                members.computeIfAbsent(group, g -> new ArrayList<>()).add(i);
            }
            List<Group> attributeGroups = new ArrayList<>();
            members.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
                List<Integer> indices = entry.getValue();
                boolean[] y = new boolean[indices.size()];
                double[] p = new double[indices.size()];
                for (int j = 0; j < y.length; j++) {
                    y[j] = outcomes[indices.get(j)];
                    p[j] = probabilities[indices.get(j)];
                }
                Evaluation e = BinaryMetrics.evaluate(y, p, threshold);
                attributeGroups.add(new Group(subgroup.column(), entry.getKey(), e.count(), e.positives(), e.auc(),
                        e.truePositiveRate(), e.falsePositiveRate(), e.calibrationError(), e.calibration()));
            });
            groups.addAll(attributeGroups);
            List<Group> comparable = attributeGroups.stream().filter(g -> g.count() >= minGroupSize).toList();
            addGap(gaps, subgroup.column(), "auc", comparable.stream().filter(g -> g.auc() != null).toList(),
                    Group::auc, tolerance);
            addGap(gaps, subgroup.column(), "tpr", comparable, Group::tpr, tolerance);
            addGap(gaps, subgroup.column(), "fpr", comparable, Group::fpr, tolerance);
            addGap(gaps, subgroup.column(), "calibrationError", comparable, Group::calibrationError, tolerance);
        }
        gaps.sort(Comparator.comparingDouble(Gap::gap).reversed());
        return new SubgroupReport(groups, gaps, tolerance, minGroupSize);
    }

    public List<Gap> flagged() {
        return gaps.stream().filter(Gap::flagged).toList();
    }

    private static void addGap(List<Gap> gaps, String attribute, String metric, List<Group> groups,
            ToDoubleFunction<Group> value, double tolerance) {
        if (groups.size() < 2) {
            return;
        }
        Group low = groups.stream().min(Comparator.comparingDouble(value)).orElseThrow();
        Group high = groups.stream().max(Comparator.comparingDouble(value)).orElseThrow();
        double gap = value.applyAsDouble(high) - value.applyAsDouble(low);
        gaps.add(new Gap(attribute, metric, gap, low.group(), high.group(), gap > tolerance));
    }

    static String groupOf(Subgroup subgroup, Object value) {
        if (value == null) {
            return "missing";
        }
        if (!(value instanceof Double number) || subgroup.bandEdges().isEmpty()) {
            return String.valueOf(value);
        }
        List<Double> edges = subgroup.bandEdges();
        if (number < edges.get(0)) {
            return "<" + format(edges.get(0));
        }
        for (int i = 1; i < edges.size(); i++) {
            if (number < edges.get(i)) {
                return format(edges.get(i - 1)) + "-" + format(edges.get(i));
            }
        }
        return ">=" + format(edges.get(edges.size() - 1));
    }

    private static String format(double edge) {
        return edge == Math.rint(edge) ? String.valueOf((long) edge) : String.format(Locale.ROOT, "%s", edge);
    }
}
