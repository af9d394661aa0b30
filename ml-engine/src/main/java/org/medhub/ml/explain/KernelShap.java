package org.medhub.ml.explain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.medhub.ml.prepare.FeatureSchema;
import org.medhub.ml.prepare.MissingValues;
import org.medhub.ml.train.Examples;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;

/**
 * Model-agnostic KernelSHAP (Lundberg and Lee 2017) over the input features, in probability space.
 * A coalition's value is the mean prediction when its features take the explained values and the
 * others take each reference row's values. The Shapley values solve the weighted least-squares fit
 * with the Shapley kernel, with local accuracy imposed as a constraint (so it holds exactly). When
 * every coalition fits in the evaluation budget they are all enumerated, which gives the exact
 * Shapley values; otherwise a seeded sample is used.
 */
final class KernelShap implements ShapExplainer {

    private final Model<Label> model;
    private final FeatureSchema schema;
    private final MissingValues missing;
    private final List<Map<String, Object>> reference;
    private final int maxEvaluations;
    private final long seed;

    KernelShap(Model<Label> model, FeatureSchema schema, MissingValues missing, List<Map<String, Object>> reference,
            int maxEvaluations, long seed) {
        if (reference.isEmpty()) {
            throw new IllegalArgumentException("KernelSHAP needs a reference sample");
        }
        this.model = model;
        this.schema = schema;
        this.missing = missing;
        this.reference = List.copyOf(reference);
        this.maxEvaluations = maxEvaluations;
        this.seed = seed;
    }

    @Override
    public ShapExplanation explain(Map<String, Object> values) {
        List<String> names = schema.names();
        int m = names.size();
        double output = Examples.probability(model, schema, missing, values);
        double base = coalitionValue(values, new boolean[m]);
        Map<String, Double> contributions = new LinkedHashMap<>();
        if (m == 1) {
            contributions.put(names.get(0), output - base);
            return new ShapExplanation("kernel", "probability", base, output, contributions);
        }
        List<boolean[]> coalitions = coalitions(m);
        // Eliminate the last feature with the constraint sum(phi) = output - base, then solve the
        // normal equations of the weighted regression for the other m - 1.
        double total = output - base;
        double[][] normal = new double[m - 1][m - 1];
        double[] rhs = new double[m - 1];
        for (boolean[] z : coalitions) {
            int size = 0;
            for (boolean in : z) {
                size += in ? 1 : 0;
            }
            double weight = (m - 1) / (binomial(m, size) * size * (m - size));
            double last = z[m - 1] ? 1 : 0;
            double y = coalitionValue(values, z) - base - last * total;
            double[] a = new double[m - 1];
            for (int j = 0; j < m - 1; j++) {
                a[j] = (z[j] ? 1 : 0) - last;
            }
            for (int i = 0; i < m - 1; i++) {
                rhs[i] += weight * a[i] * y;
                for (int j = 0; j < m - 1; j++) {
                    normal[i][j] += weight * a[i] * a[j];
                }
            }
        }
        double[] phi = solve(normal, rhs);
        double sum = 0;
        for (int j = 0; j < m - 1; j++) {
            contributions.put(names.get(j), phi[j]);
            sum += phi[j];
        }
        contributions.put(names.get(m - 1), total - sum);
        return new ShapExplanation("kernel", "probability", base, output, contributions);
    }

    private List<boolean[]> coalitions(int m) {
        List<boolean[]> coalitions = new ArrayList<>();
        long all = 1L << Math.min(m, 62);
        if (m < 62 && (all - 2) * reference.size() <= maxEvaluations) {
            for (long mask = 1; mask < all - 1; mask++) {
                boolean[] z = new boolean[m];
                for (int j = 0; j < m; j++) {
                    z[j] = (mask >> j & 1) == 1;
                }
                coalitions.add(z);
            }
            return coalitions;
        }
        Random random = new Random(seed);
        int samples = Math.max(2 * m, maxEvaluations / reference.size());
        for (int s = 0; s < samples; s++) {
            boolean[] z = new boolean[m];
            int size = 1 + random.nextInt(m - 1);
            List<Integer> order = new ArrayList<>();
            for (int j = 0; j < m; j++) {
                order.add(j);
            }
            java.util.Collections.shuffle(order, random);
            for (int j = 0; j < size; j++) {
                z[order.get(j)] = true;
            }
            coalitions.add(z);
        }
        return coalitions;
    }

    private double coalitionValue(Map<String, Object> values, boolean[] coalition) {
        List<String> names = schema.names();
        List<Example<Label>> examples = new ArrayList<>(reference.size());
        for (Map<String, Object> row : reference) {
            Map<String, Object> hybrid = new HashMap<>();
            for (int j = 0; j < names.size(); j++) {
                String name = names.get(j);
                hybrid.put(name, coalition[j] ? values.get(name) : row.get(name));
            }
            examples.add(schema.encode(hybrid, missing, LabelFactory.UNKNOWN_LABEL));
        }
        double sum = 0;
        for (Prediction<Label> prediction : model.predict(examples)) {
            sum += Examples.positiveProbability(prediction, schema.positiveClass());
        }
        return sum / reference.size();
    }

    private static double binomial(int n, int k) {
        double result = 1;
        for (int i = 1; i <= k; i++) {
            result = result * (n - k + i) / i;
        }
        return result;
    }

    /** Gaussian elimination with partial pivoting; a tiny ridge keeps degenerate systems solvable. */
    static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][n + 1];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][i] += 1e-12;
            m[i][n] = b[i];
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int row = col + 1; row < n; row++) {
                if (Math.abs(m[row][col]) > Math.abs(m[pivot][col])) {
                    pivot = row;
                }
            }
            double[] swap = m[col];
            m[col] = m[pivot];
            m[pivot] = swap;
            for (int row = col + 1; row < n; row++) {
                double factor = m[row][col] / m[col][col];
                for (int k = col; k <= n; k++) {
                    m[row][k] -= factor * m[col][k];
                }
            }
        }
        double[] x = new double[n];
        for (int row = n - 1; row >= 0; row--) {
            double sum = m[row][n];
            for (int k = row + 1; k < n; k++) {
                sum -= m[row][k] * x[k];
            }
            x[row] = sum / m[row][row];
        }
        return x;
    }
}
