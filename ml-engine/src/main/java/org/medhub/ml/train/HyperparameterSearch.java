package org.medhub.ml.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Expands a grid into candidate hyperparameter sets, all of them or a seeded random sample. */
public final class HyperparameterSearch {

    private HyperparameterSearch() {}

    public static List<Map<String, Double>> candidates(
            Map<String, List<Double>> grid, SearchStrategy strategy, int randomCandidates, long seed) {
        List<Map<String, Double>> all = new ArrayList<>();
        all.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<Double>> axis : grid.entrySet()) {
            List<Map<String, Double>> expanded = new ArrayList<>();
            for (Map<String, Double> partial : all) {
                for (Double value : axis.getValue()) {
                    Map<String, Double> next = new LinkedHashMap<>(partial);
                    next.put(axis.getKey(), value);
                    expanded.add(next);
                }
            }
            all = expanded;
        }
        if (strategy == SearchStrategy.RANDOM && randomCandidates < all.size()) {
            Collections.shuffle(all, new Random(seed));
            all = all.subList(0, Math.max(1, randomCandidates));
        }
        return all.stream().map(Collections::unmodifiableMap).toList();
    }
}
