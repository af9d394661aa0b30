package org.medhub.ml.cohort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.medhub.ml.cohort.CohortSpec.FeatureSpec;
import org.medhub.ml.cohort.CohortSpec.PatientAttribute;
import org.medhub.ml.dataset.ColumnType;
import org.medhub.ml.dataset.DatasetException;

class CohortSpecsTest {

    /** The shipped spec, read from config/ml/ above the module. */
    static byte[] shippedCvdRisk() throws Exception {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path spec = dir.resolve("config/ml/cvd-risk.yaml");
            if (Files.exists(spec)) {
                return Files.readAllBytes(spec);
            }
        }
        throw new IllegalStateException("config/ml/cvd-risk.yaml not found");
    }

    static final String MINIMAL = """
            name: test
            label:
              name: event
              horizonYears: 2
              condition: {system: http://snomed.info/sct, codes: ["59621000"]}
            features:
              - {name: age, patient: age}
            """;

    @Test
    void theShippedCardiovascularSpecReadsWithItsFeaturesLabelAndTraining() throws Exception {
        CohortSpec spec = CohortSpecs.parse(shippedCvdRisk());

        assertThat(spec.name()).isEqualTo("cvd-risk");
        assertThat(spec.features()).extracting(FeatureSpec::name).containsExactly(
                "age", "sex", "sbp", "total_cholesterol", "hdl", "bmi", "smoking", "diabetes", "hypertension");
        FeatureSpec sbp = spec.features().get(2);
        assertThat(sbp.observation().system()).isEqualTo("http://loinc.org");
        assertThat(sbp.observation().codes()).containsExactly("8480-6");
        assertThat(sbp.declaredType()).isNull();
        assertThat(spec.features().get(0).patient()).isEqualTo(PatientAttribute.AGE);
        assertThat(spec.features().get(6).categories()).containsEntry("8517006", "former");
        assertThat(spec.features().get(6).declaredType()).isEqualTo(ColumnType.CATEGORICAL);
        assertThat(spec.label().condition().codes()).contains("414545008", "22298006", "230690007");
        assertThat(spec.label().horizonYears()).isEqualTo(5);
        assertThat(spec.label().excludesPrevalent()).isTrue();
        assertThat(spec.training()).containsEntry("modelName", "cvd-risk").containsEntry("folds", 3);
        assertThat(CohortTable.datasetSpec(spec).ranges()).containsKeys("age", "sbp", "bmi");
    }

    @Test
    void aMinimalSpecTakesTheDefaults() {
        CohortSpec spec = CohortSpecs.parse(MINIMAL.getBytes(StandardCharsets.UTF_8));

        assertThat(spec.indexDate()).isNull();
        assertThat(spec.label().excludesPrevalent()).isTrue();
        assertThat(spec.subgroups()).isEmpty();
        assertThat(spec.training()).isEmpty();
    }

    @Test
    void anUnknownKeyIsNamedWithWhereItIs() {
        String yaml = MINIMAL.replace("horizonYears: 2", "horizonYears: 2\n  horizon: 3");

        assertThatThrownBy(() -> CohortSpecs.parse(yaml.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("unknown key 'horizon' at label");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        String yaml = """
                name: Bad Name
                label: {name: event, horizonYears: 0}
                features:
                  - {name: age, patient: age, observation: {system: http://loinc.org, codes: ["8480-6"]}}
                  - {name: sbp, observation: {system: http://loinc.org}}
                  - {name: sbp, condition: {system: http://snomed.info/sct, codes: ["1"]}, range: [1, 2]}
                subgroups:
                  - {feature: weight}
                """;

        assertThatThrownBy(() -> CohortSpecs.parse(yaml.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(DatasetException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "name must be lower-case letters, digits, '-' or '_' (1-63 characters), got 'Bad Name'",
                        "label.horizonYears must be between 1 and 50, got 0",
                        "label.condition is missing (system and codes)",
                        "features[0] (age): set exactly one of patient (age, sex), observation or condition",
                        "features[1] (sbp).observation.codes must list at least one code (without ',' or '|')",
                        "features[2] (sbp): the name 'sbp' is used twice",
                        "features[2] (sbp): a range applies to numeric features only",
                        "subgroups: 'weight' is not a feature"));
    }

    @Test
    void aValueOfTheWrongTypeAndBrokenYamlAreRefusedClearly() {
        String wrongType = MINIMAL.replace("patient: age", "patient: height");

        assertThatThrownBy(() -> CohortSpecs.parse(wrongType.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("does not fit the format at features[0].patient");
        assertThatThrownBy(() -> CohortSpecs.parse("name: \"unterminated\n\tlabel: x".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> CohortSpecs.parse(new byte[0])).hasMessageContaining("empty");
    }
}
