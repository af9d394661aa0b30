package org.medhub.ml.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medhub.ml.SyntheticCsv;

class CsvDatasetsTest {

    private static final DatasetSpec SPEC =
            new DatasetSpec("event", null, null, List.of("id"), null, null);

    @Test
    void infersTypesAndPositiveClassAndReportsMissingValues() {
        Dataset data = CsvDatasets.read(SyntheticCsv.cohort(60, 1), SPEC);

        assertThat(data.size()).isEqualTo(60);
        assertThat(data.positiveClass()).isEqualTo("yes");
        assertThat(data.featureNames()).containsExactly("age", "sex", "sbp", "smoker", "chol");
        Map<String, ColumnReport> columns = data.columns().stream()
                .collect(java.util.stream.Collectors.toMap(ColumnReport::name, c -> c));
        assertThat(columns.get("age").type()).isEqualTo(ColumnType.NUMERIC);
        assertThat(columns.get("age").inferred()).isTrue();
        assertThat(columns.get("sex").categories()).containsExactly("F", "M");
        assertThat(columns.get("chol").missing()).isPositive();
        assertThat(data.fingerprint()).startsWith("sha256:");
    }

    @Test
    void declaredNumericColumnWithTextNamesColumnAndLine() {
        String csv = "age,event\n" + "40,1\n".repeat(5) + "old,0\n" + "50,0\n".repeat(5);
        DatasetSpec spec = new DatasetSpec("event", "1", Map.of("age", ColumnType.NUMERIC), null, null, null);

        assertThatThrownBy(() -> CsvDatasets.read(csv.getBytes(StandardCharsets.UTF_8), spec))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("row 7: column 'age' is numeric but has 'old'");
    }

    @Test
    void rejectsUnknownTargetAndAmbiguousPositiveClass() {
        byte[] csv = ("x,outcome\n" + "1,a\n".repeat(6) + "2,b\n".repeat(6)).getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> CsvDatasets.read(csv, DatasetSpec.of("label", null)))
                .hasMessageContaining("target column 'label' is not in the header");
        assertThatThrownBy(() -> CsvDatasets.read(csv, DatasetSpec.of("outcome", null)))
                .hasMessageContaining("name the positive class");
        assertThatThrownBy(() -> CsvDatasets.read(csv, DatasetSpec.of("outcome", "c")))
                .hasMessageContaining("positive class 'c' is not a value");
    }

    @Test
    void rejectsThreeClassTargetAndMissingTargetValues() {
        byte[] csv = ("x,y\n" + "1,a\n".repeat(5) + "2,b\n".repeat(5) + "3,c\n" + "4,\n").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> CsvDatasets.read(csv, DatasetSpec.of("y", "a")))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("row 13: target 'y' has no value")
                .hasMessageContaining("exactly two classes");
    }
}
