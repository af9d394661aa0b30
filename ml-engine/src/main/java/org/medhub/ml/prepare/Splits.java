package org.medhub.ml.prepare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Stratified splits with a fixed seed: each part keeps the outcome's class balance, and reruns match. */
public final class Splits {

    private Splits() {}

    /** Rows of a train/test split. */
    public record TrainTest(int[] train, int[] test) {}

    public static TrainTest trainTest(boolean[] outcomes, double testFraction, long seed) {
        if (testFraction <= 0 || testFraction >= 1) {
            throw new IllegalArgumentException("test fraction must be in (0, 1), was " + testFraction);
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        Random random = new Random(seed);
        for (List<Integer> stratum : strata(outcomes, allRows(outcomes.length))) {
            Collections.shuffle(stratum, random);
            int testCount = (int) Math.max(1, Math.round(stratum.size() * testFraction));
            test.addAll(stratum.subList(0, Math.min(testCount, stratum.size() - 1)));
            train.addAll(stratum.subList(Math.min(testCount, stratum.size() - 1), stratum.size()));
        }
        return new TrainTest(sorted(train), sorted(test));
    }

    /** {@code k} stratified folds of {@code rows}: each row in exactly one fold. */
    public static List<int[]> folds(boolean[] outcomes, int[] rows, int k, long seed) {
        List<List<Integer>> folds = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            folds.add(new ArrayList<>());
        }
        Random random = new Random(seed);
        int next = 0;
        for (List<Integer> stratum : strata(outcomes, rows)) {
            Collections.shuffle(stratum, random);
            for (int row : stratum) {
                folds.get(next++ % k).add(row);
            }
        }
        return folds.stream().map(Splits::sorted).toList();
    }

    /** {@code rows} without the ones in {@code excluded} (both sorted). */
    public static int[] without(int[] rows, int[] excluded) {
        return Arrays.stream(rows).filter(r -> Arrays.binarySearch(excluded, r) < 0).toArray();
    }

    private static int[] allRows(int n) {
        int[] rows = new int[n];
        Arrays.setAll(rows, i -> i);
        return rows;
    }

    private static List<List<Integer>> strata(boolean[] outcomes, int[] rows) {
        List<Integer> positives = new ArrayList<>();
        List<Integer> negatives = new ArrayList<>();
        for (int row : rows) {
            (outcomes[row] ? positives : negatives).add(row);
        }
        return List.of(positives, negatives);
    }

    private static int[] sorted(List<Integer> rows) {
        return rows.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
