package org.medhub.ml.train;

import java.util.List;
import java.util.Map;
import org.medhub.ml.evaluate.Evaluation;
import org.medhub.ml.evaluate.SubgroupReport;
import org.medhub.ml.prepare.FeatureSchema;
import org.tribuo.Model;
import org.tribuo.classification.Label;

/**
 * The outcome of a training run: the winner refitted on the whole training split, its held-out
 * evaluation and subgroup report, every candidate's search, and a reference sample of training rows
 * (raw values) that explanations compare against.
 */
public record TrainingResult(
        Algorithm algorithm,
        Map<String, Double> hyperparameters,
        Model<Label> model,
        FeatureSchema schema,
        Evaluation evaluation,
        SubgroupReport subgroups,
        List<CandidateResult> candidates,
        Map<Algorithm, Evaluation> heldOutByAlgorithm,
        List<Map<String, Object>> reference,
        int trainRows,
        int testRows,
        long seed,
        SelectionMetric selectionMetric,
        String dataFingerprint) {}
