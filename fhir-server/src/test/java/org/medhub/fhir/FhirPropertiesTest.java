package org.medhub.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FhirPropertiesTest {

    @Test
    void corsWithCredentialsAndAWildcardOriginIsRefusedAtStartUp() {
        assertThatThrownBy(() -> new FhirProperties.Cors(List.of("*"), true))
                .hasMessageContaining("allow-credentials");
    }

    @Test
    void corsIsOffWithoutOrigins() {
        assertThat(new FhirProperties.Cors(List.of(), false).enabled()).isFalse();
        assertThat(new FhirProperties.Cors(List.of("https://ehr.example.org"), true).enabled()).isTrue();
    }

    @Test
    void defaultPageSizeAboveTheMaximumIsRefused() {
        assertThatThrownBy(() -> new FhirProperties(null, 100, 50,
                        new FhirProperties.Cors(List.of(), false), new FhirProperties.BulkExport(true, java.time.Duration.ofSeconds(10))))
                .hasMessageContaining("default-page-size");
    }
}
