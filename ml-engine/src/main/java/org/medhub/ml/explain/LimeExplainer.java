package org.medhub.ml.explain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.medhub.ml.prepare.FeatureSchema;
import org.medhub.ml.prepare.MissingValues;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.explanations.lime.LIMEBase;
import org.tribuo.classification.explanations.lime.LIMEExplanation;
import org.tribuo.regression.slm.LARSLassoTrainer;
import com.oracle.labs.mlrg.olcut.util.Pair;

/**
 * LIME through Tribuo's {@link LIMEBase}, on the encoded (already scaled) features, so its sampling
 * uses the same scale as the model (Tribuo's LIME on a transformed model perturbs raw values). The
 * sparse surrogate's weights for the positive class are summed back onto the input features.
 */
public final class LimeExplainer {

    public static final int SAMPLES = 500;

    private LimeExplainer() {}

    public static Map<String, Double> explain(Model<Label> model, FeatureSchema schema, MissingValues missing,
            Map<String, Object> values, long seed) {
        int encodedCount = schema.encodedNames().size();
        LIMEBase lime = new LIMEBase(new SplittableRandom(seed), model, new LARSLassoTrainer(encodedCount), SAMPLES);
        LIMEExplanation explanation = lime.explain(schema.encode(values, missing, LabelFactory.UNKNOWN_LABEL));
        Map<String, Double> encoded = new LinkedHashMap<>();
        Map<String, List<Pair<String, Double>>> top = explanation.getModel().getTopFeatures(-1);
        List<Pair<String, Double>> weights = top.get(schema.positiveClass());
        if (weights != null) {
            for (Pair<String, Double> weight : weights) {
                encoded.put(weight.getA(), weight.getB());
            }
        }
        return Contributions.byInput(schema, encoded);
    }
}
