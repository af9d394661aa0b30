package org.medhub.dicomweb.deid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class DeidPropertiesTest {

    private static DeidProperties withSecret(String secret) {
        return new DeidProperties(true, secret, "config/deid", "research");
    }

    @Test
    void withoutASecretOutsideTheDevProfileTheFeatureRefusesToStartNamingTheSetting() {
        assertThatThrownBy(() -> withSecret(null).effectiveSecret(new MockEnvironment()))
                .hasMessageContaining("medhub.deid.secret");
        assertThatThrownBy(() -> withSecret("too-short").effectiveSecret(new MockEnvironment()))
                .hasMessageContaining("at least 32");
    }

    @Test
    void theDevProfileHasABuiltInSecretAndAConfiguredOneAlwaysWins() {
        MockEnvironment dev = new MockEnvironment();
        dev.setActiveProfiles("dev");
        assertThat(withSecret(null).effectiveSecret(dev)).hasSizeGreaterThanOrEqualTo(32);
        String configured = "a-site-secret-of-more-than-32-characters";
        assertThat(withSecret(configured).effectiveSecret(new MockEnvironment())).isEqualTo(configured);
    }

    @Test
    void aProfileFileWithAnUnknownOptionOrBadOverrideIsRefused() {
        assertThatThrownBy(() -> DeidProfiles.profile("p", java.util.Map.of("options", java.util.List.of("retain-everything"))))
                .hasMessageContaining("retain-everything");
        assertThatThrownBy(() -> DeidProfiles.profile("p", java.util.Map.of("overrides", java.util.Map.of("PatientName", "K"))))
                .hasMessageContaining("not a tag");
        assertThatThrownBy(() -> DeidProfiles.profile("p", java.util.Map.of("options",
                java.util.List.of("retain-longitudinal-full-dates", "retain-longitudinal-modified-dates"))))
                .hasMessageContaining("exclude each other");
    }
}
