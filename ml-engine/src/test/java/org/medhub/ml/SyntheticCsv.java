package org.medhub.ml;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

/**
 * A small synthetic cardiovascular-risk table (seeded) for tests: age, sex, systolic blood pressure,
 * smoking status and total cholesterol, with an outcome drawn from a known logistic model. Some
 * cholesterol values are missing so the missing-value paths are exercised.
 */
public final class SyntheticCsv {

    private SyntheticCsv() {}

    /** A valid prediction input for a model trained on {@link #cohort}; mutable, for tests to break. */
    public static java.util.Map<String, Object> patient() {
        java.util.Map<String, Object> features = new java.util.HashMap<>();
        features.put("age", 61);
        features.put("sex", "M");
        features.put("sbp", 142);
        features.put("smoker", "current");
        features.put("chol", 5.8);
        return features;
    }

    public static byte[] cohort(int rows, long seed) {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("id,age,sex,sbp,smoker,chol,event\n");
        String[] smoking = {"never", "former", "current"};
        for (int i = 0; i < rows; i++) {
            int age = 30 + random.nextInt(50);
            String sex = random.nextBoolean() ? "F" : "M";
            double sbp = Math.round(110 + 0.4 * (age - 30) + 15 * random.nextGaussian());
            String smoker = smoking[random.nextInt(3)];
            Double chol = random.nextInt(10) == 0 ? null : Math.round((5 + random.nextGaussian()) * 10) / 10.0;
            double logit = -4 + 0.06 * (age - 30) + 0.02 * (sbp - 120) + (sex.equals("M") ? 0.6 : 0)
                    + (smoker.equals("current") ? 0.9 : smoker.equals("former") ? 0.3 : 0)
                    + (chol == null ? 0 : 0.3 * (chol - 5));
            boolean event = random.nextDouble() < 1 / (1 + Math.exp(-logit));
            csv.append(String.format(Locale.ROOT, "p%d,%d,%s,%.0f,%s,%s,%s%n", i, age, sex, sbp, smoker,
                    chol == null ? "" : chol.toString(), event ? "yes" : "no"));
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }
}
