package org.medhub.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

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
        assertThatThrownBy(() -> properties(100, 50, DataSize.ofMegabytes(32))).hasMessageContaining("default-page-size");
    }

    @Test
    void aRequestCapTooSmallForAnyResourceIsRefused() {
        assertThatThrownBy(() -> properties(20, 500, DataSize.ofBytes(100)))
                .hasMessageContaining("medhub.fhir.max-request-bytes");
    }

    private static FhirProperties properties(int defaultPageSize, int maxPageSize, DataSize maxRequestBytes) {
        return new FhirProperties(null, defaultPageSize, maxPageSize, new FhirProperties.Cors(List.of(), false),
                new FhirProperties.BulkExport(true, java.time.Duration.ofSeconds(10)), maxRequestBytes);
    }
}
