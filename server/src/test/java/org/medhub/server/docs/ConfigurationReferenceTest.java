package org.medhub.server.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration-reference.md is what the metadata says, so it cannot drift from the properties
 * records: a setting added, renamed or re-described without regenerating the page fails the build.
 */
class ConfigurationReferenceTest {

    /** The server module's test runs in server/; the page sits in the repository's docs/. */
    private static final Path PAGE = Path.of("..", "docs", "configuration-reference.md");

    @Test
    void theConfigurationReferenceIsTheOneTheMetadataGenerates() throws IOException {
        List<ConfigurationReference.Setting> settings = ConfigurationReference.settings(getClass().getClassLoader());
        String generated = ConfigurationReference.render(settings);
        if (Boolean.getBoolean("medhub.docs.write")) {
            Files.writeString(PAGE, generated, StandardCharsets.UTF_8);
        }

        assertThat(Files.exists(PAGE) ? Files.readString(PAGE, StandardCharsets.UTF_8) : "")
                .as("docs/configuration-reference.md is stale: regenerate it with -Dmedhub.docs.write=true (command at the top of the page)")
                .isEqualTo(generated);
    }

    @Test
    void everyModuleContributesItsSettings() {
        List<ConfigurationReference.Setting> settings = ConfigurationReference.settings(getClass().getClassLoader());

        assertThat(settings).extracting(ConfigurationReference.Setting::section)
                .contains("medhub.security", "medhub.database", "medhub.fhir", "medhub.dicomweb", "medhub.viewer",
                        "medhub.ml", "medhub.cds");
    }

    @Test
    void aSettingsEnvironmentVariableIsSpringsRelaxedForm() {
        var setting = new ConfigurationReference.Setting("medhub.fhir.default-page-size", "Integer", "20", "", false);

        assertThat(setting.environmentVariable()).isEqualTo("MEDHUB_FHIR_DEFAULTPAGESIZE");
        assertThat(setting.section()).isEqualTo("medhub.fhir");
    }
}
