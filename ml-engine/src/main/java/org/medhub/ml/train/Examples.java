package org.medhub.ml.train;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.medhub.ml.dataset.Dataset;
import org.medhub.ml.prepare.FeatureSchema;
import org.medhub.ml.prepare.MissingValues;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/** Moves rows between MedHub's tables and Tribuo's datasets and predictions. */
public final class Examples {

    private static final LabelFactory LABELS = new LabelFactory();
    /** Fixed so that two trainings on the same data carry the same data provenance. */
    private static final OffsetDateTime EPOCH = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private Examples() {}

    static MutableDataset<Label> dataset(Dataset data, int[] rows, FeatureSchema schema, MissingValues missing) {
        var provenance = new SimpleDataSourceProvenance(
                "MedHub dataset " + data.fingerprint() + " (" + rows.length + " rows)", EPOCH, LABELS);
        MutableDataset<Label> dataset = new MutableDataset<>(provenance, LABELS);
        for (int row : rows) {
            Label label = new Label(data.outcome(row) ? data.positiveClass() : data.negativeClass());
            dataset.add(schema.encode(data.rows().get(row), missing, label));
        }
        return dataset;
    }

    /** Probabilities of the positive class for the given rows. */
    static double[] probabilities(
            Model<Label> model, Dataset data, int[] rows, FeatureSchema schema, MissingValues missing) {
        List<Example<Label>> examples = new ArrayList<>(rows.length);
        for (int row : rows) {
            examples.add(schema.encode(data.rows().get(row), missing, LabelFactory.UNKNOWN_LABEL));
        }
        List<Prediction<Label>> predictions = model.predict(examples);
        double[] probabilities = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            probabilities[i] = positiveProbability(predictions.get(i), schema.positiveClass());
        }
        return probabilities;
    }

    public static double positiveProbability(Prediction<Label> prediction, String positiveClass) {
        Label score = prediction.getOutputScores().get(positiveClass);
        return score == null ? 0 : score.getScore();
    }

    /** Probability of the positive class for one row of validated values. */
    public static double probability(
            Model<Label> model, FeatureSchema schema, MissingValues missing, Map<String, Object> values) {
        return positiveProbability(
                model.predict(schema.encode(values, missing, LabelFactory.UNKNOWN_LABEL)), schema.positiveClass());
    }

    static boolean[] outcomes(Dataset data, int[] rows) {
        boolean[] outcomes = new boolean[rows.length];
        for (int i = 0; i < rows.length; i++) {
            outcomes[i] = data.outcome(rows[i]);
        }
        return outcomes;
    }
}
