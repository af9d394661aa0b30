package org.medhub.cli.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheaBundlesTest {

    @TempDir
    Path dir;

    @Test
    void organizationsAndPractitionersLoadBeforeThePatientsThatReferenceThem() throws IOException {
        for (String name : new String[] {"Zoe_Ames_1.json", "practitionerInformation1.json", "Abe_Bo_2.json",
                "hospitalInformation1.json", "synthea.log", "notes.json.bak"}) {
            Files.writeString(dir.resolve(name), "{}");
        }
        Files.createDirectory(dir.resolve("sub.json"));
        assertThat(SyntheaBundles.inLoadOrder(dir)).map(p -> p.getFileName().toString()).containsExactly(
                "hospitalInformation1.json", "practitionerInformation1.json", "Abe_Bo_2.json", "Zoe_Ames_1.json");
    }
}
