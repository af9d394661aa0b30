package org.medhub.ml.prepare;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medhub.ml.dataset.ColumnType;

/** The registry stores feature schemas as JSON; a schema written by format version 1 must keep loading. */
class FeatureSchemaFormatTest {

    /** As version 1 wrote it (the registry's {@code feature_schema} column). */
    private static final String VERSION_1 = """
            {"version":1,"features":[
              {"name":"age","type":"NUMERIC","center":55.2,"scale":14.1,"min":18.0,"max":110.0,"categories":[],"nullable":false},
              {"name":"sex","type":"CATEGORICAL","center":0.0,"scale":1.0,"min":0.0,"max":0.0,"categories":["F","M"],"nullable":false},
              {"name":"chol","type":"NUMERIC","center":5.0,"scale":1.0,"min":2.1,"max":8.3,"categories":[],"nullable":true}],
             "positiveClass":"yes","negativeClass":"no"}""";

    @Test
    void aVersion1SchemaLoadsAndIsEnforced() throws Exception {
        FeatureSchema schema = new ObjectMapper().readValue(VERSION_1, FeatureSchema.class);

        assertThat(schema.version()).isEqualTo(1);
        assertThat(schema.feature("sex").type()).isEqualTo(ColumnType.CATEGORICAL);
        assertThat(schema.encodedNames()).containsExactly("age", "sex=F", "sex=M", "chol");
        Map<String, Object> input = new HashMap<>(Map.of("age", 60, "sex", "F"));
        input.put("chol", null);
        assertThat(schema.validate(input)).containsEntry("age", 60.0).containsEntry("chol", null);
    }

    @Test
    void theCurrentFormatWritesWhatVersion1Reads() throws Exception {
        ObjectMapper json = new ObjectMapper();
        FeatureSchema schema = json.readValue(VERSION_1, FeatureSchema.class);

        assertThat(json.readTree(json.writeValueAsString(schema))).isEqualTo(json.readTree(VERSION_1));
    }
}
