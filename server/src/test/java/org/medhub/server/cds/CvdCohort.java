package org.medhub.server.cds;

import java.util.Locale;
import java.util.Random;

/**
 * A synthetic training table with the columns of {@code config/ml/cvd-risk.yaml} (what a FHIR
 * cohort pull would store), the outcome drawn from a logistic model of the usual risk factors.
 */
final class CvdCohort {

    private CvdCohort() {}

    static byte[] csv(int rows, long seed) {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("age,sex,sbp,total_cholesterol,hdl,bmi,smoking,diabetes,hypertension,cvd_event\n");
        String[] smoking = {"never", "former", "current"};
        for (int i = 0; i < rows; i++) {
            int age = 30 + random.nextInt(60);
            boolean male = random.nextBoolean();
            double sbp = 100 + random.nextGaussian() * 15 + (age - 30) * 0.6;
            double chol = 190 + random.nextGaussian() * 35;
            double hdl = 50 + random.nextGaussian() * 12;
            double bmi = 27 + random.nextGaussian() * 4;
            int smoker = random.nextInt(3);
            boolean diabetes = random.nextDouble() < 0.12;
            boolean hypertension = sbp > 140 || random.nextDouble() < 0.1;
            double logit = -9 + 0.07 * age + 0.02 * sbp + 0.006 * chol - 0.03 * hdl + (male ? 0.5 : 0)
                    + (smoker == 2 ? 0.8 : smoker == 1 ? 0.3 : 0) + (diabetes ? 0.7 : 0) + (hypertension ? 0.3 : 0);
            boolean event = random.nextDouble() < 1 / (1 + Math.exp(-logit));
            csv.append(String.format(Locale.ROOT, "%d,%s,%.0f,%.0f,%.0f,%.1f,%s,%s,%s,%s%n", age, male ? "male" : "female",
                    clamp(sbp, 70, 250), clamp(chol, 80, 450), clamp(hdl, 15, 140), clamp(bmi, 15, 70), smoking[smoker],
                    diabetes ? "yes" : "no", hypertension ? "yes" : "no", event ? "yes" : "no"));
        }
        return csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static double clamp(double x, double low, double high) {
        return Math.max(low, Math.min(high, x));
    }
}
