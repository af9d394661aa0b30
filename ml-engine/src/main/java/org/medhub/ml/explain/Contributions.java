package org.medhub.ml.explain;

import java.util.LinkedHashMap;
import java.util.Map;
import org.medhub.ml.prepare.Feature;
import org.medhub.ml.prepare.FeatureSchema;

/** Sums contributions of encoded columns back onto the input features they came from. */
final class Contributions {

    private Contributions() {}

    static Map<String, Double> byInput(FeatureSchema schema, Map<String, Double> encoded) {
        Map<String, Double> byInput = new LinkedHashMap<>();
        for (Feature feature : schema.features()) {
            double sum = 0;
            for (String name : feature.encodedNames()) {
                sum += encoded.getOrDefault(name, 0.0);
            }
            byInput.put(feature.name(), sum);
        }
        return byInput;
    }

    static double logit(double p) {
        return Math.log(p / (1 - p));
    }
}
