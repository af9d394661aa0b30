package org.medhub.ml.prepare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medhub.ml.SyntheticCsv;
import org.medhub.ml.dataset.CsvDatasets;
import org.medhub.ml.dataset.Dataset;
import org.medhub.ml.dataset.DatasetSpec;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;

class FeatureSchemaTest {

    private static final Dataset DATA = CsvDatasets.read(SyntheticCsv.cohort(200, 3),
            new DatasetSpec("event", "yes", null, List.of("id"), Map.of("age", List.of(18.0, 110.0)), null));
    private static final FeatureSchema SCHEMA = FeatureSchema.fit(DATA, Splits.trainTest(DATA.outcomes(), 0.25, 7).train());

    private static Map<String, Object> valid() {
        Map<String, Object> input = SyntheticCsv.patient();
        input.put("age", 55);
        return input;
    }

    @Test
    void validInputIsTypedAndEncodedWithScalingAndOneHot() {
        Map<String, Object> values = SCHEMA.validate(valid());
        Example<Label> example = SCHEMA.encode(values, MissingValues.IMPUTE, LabelFactory.UNKNOWN_LABEL);

        Map<String, Double> encoded = new HashMap<>();
        for (Feature f : example) {
            encoded.put(f.getName(), f.getValue());
        }
        org.medhub.ml.prepare.Feature age = SCHEMA.feature("age");
        assertThat(encoded.get("age")).isEqualTo((55 - age.center()) / age.scale());
        assertThat(encoded).containsEntry("sex=M", 1.0).containsEntry("sex=F", 0.0).containsEntry("smoker=current", 1.0);
        assertThat(SCHEMA.encodedNames()).hasSize(encoded.size());
    }

    @Test
    void declaredRangeIsKeptAndCholesterolIsNullableBecauseTrainingHadGaps() {
        assertThat(SCHEMA.feature("age").min()).isEqualTo(18.0);
        assertThat(SCHEMA.feature("age").max()).isEqualTo(110.0);
        assertThat(SCHEMA.feature("chol").nullable()).isTrue();
        assertThat(SCHEMA.feature("sbp").nullable()).isFalse();

        Map<String, Object> input = valid();
        input.put("chol", null);
        Example<Label> imputed = SCHEMA.encode(SCHEMA.validate(input), MissingValues.IMPUTE, LabelFactory.UNKNOWN_LABEL);
        Example<Label> absent = SCHEMA.encode(SCHEMA.validate(input), MissingValues.ABSENT, LabelFactory.UNKNOWN_LABEL);
        assertThat(imputed.size()).isEqualTo(absent.size() + 1);
    }

    @Test
    void missingUnknownMistypedAndOutOfRangeInputsNameTheField() {
        Map<String, Object> missing = valid();
        missing.remove("sbp");
        assertViolation(missing, "sbp", "is missing");

        assertViolation(with("weight", 80), "weight", "unknown feature");
        assertViolation(with("age", "fifty"), "age", "must be a number");
        assertViolation(with("age", 140), "age", "outside the accepted range [18.0, 110.0]");
        assertViolation(with("smoker", "sometimes"), "smoker", "is not one of [current, former, never]");
        assertViolation(with("sex", null), "sex", "must have a value");
    }

    private static Map<String, Object> with(String name, Object value) {
        Map<String, Object> input = valid();
        input.put(name, value);
        return input;
    }

    private static void assertViolation(Map<String, Object> input, String field, String message) {
        assertThatThrownBy(() -> SCHEMA.validate(input))
                .isInstanceOf(SchemaViolationException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((SchemaViolationException) e).field()).isEqualTo(field));
    }
}
