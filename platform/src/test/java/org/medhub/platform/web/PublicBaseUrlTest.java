package org.medhub.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PublicBaseUrlTest {

    @Test
    void urlsAreResolvedOnTheConfiguredBaseWithoutATrailingSlash() {
        PublicBaseUrl base = new PublicBaseUrl("HTTPS://MedHub.Example.org/medhub/", () -> 1);

        assertThat(base.base()).isEqualTo("https://medhub.example.org/medhub");
        assertThat(base.resolve("/dicomweb")).isEqualTo("https://medhub.example.org/medhub/dicomweb");
        assertThat(base.resolve("")).isEqualTo("https://medhub.example.org/medhub");
    }

    @Test
    void portZeroStandsForThePortTheServerListensOn() {
        assertThat(new PublicBaseUrl("http://localhost:0", () -> 18080).resolve("/fhir"))
                .isEqualTo("http://localhost:18080/fhir");
        assertThat(new PublicBaseUrl("http://localhost:8080", () -> 18080).resolve("/fhir"))
                .isEqualTo("http://localhost:8080/fhir");
    }

    @Test
    void aMissingRelativeOrDecoratedUrlStopsTheStartNamingTheSetting() {
        for (String bad : Arrays.asList(null, " ", "medhub.example.org", "/fhir", "ftp://medhub.example.org",
                "https://user:pw@medhub.example.org", "https://medhub.example.org/?a=b", "https://medhub.example.org/#x",
                "https://")) {
            assertThatThrownBy(() -> new PublicBaseUrl(bad, () -> 1)).as(String.valueOf(bad))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("medhub.public-base-url");
        }
    }
}
