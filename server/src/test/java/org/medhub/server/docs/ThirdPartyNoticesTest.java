package org.medhub.server.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * medhub.jar ships META-INF/THIRD-PARTY.txt, written by license-maven-plugin from every shipped library's
 * POM (server/pom.xml): it is there, names each library's licence, JJ2000's included, and the Debian jars
 * the plugin does not see.
 */
class ThirdPartyNoticesTest {

    @Test
    void theNoticesNameEachShippedLibrarysLicenceJj2000sIncluded() throws IOException {
        String notices = notices();

        assertThat(notices)
                .contains("(JJ2000)", "com.github.jai-imageio:jai-imageio-jpeg2000:1.4.0")
                .contains("(BSD-3-Clause) PixelMed Java DICOM Toolkit (com.pixelmed:pixelmed:")
                .contains("(Apache-2.0) HAPI FHIR JPA Server (ca.uhn.hapi.fhir:hapi-fhir-jpaserver-base:")
                .contains("org.tribuo:tribuo-core:", "org.springframework:spring-core:")
                .doesNotContain("org.seleniumhq.selenium", "org.junit.jupiter", "org.medhub:", " null (");
    }

    /** The server's own copy (libraries on the class path may carry a file of the same name). */
    private static String notices() throws IOException {
        Path file = Path.of("target", "classes", "META-INF", "THIRD-PARTY.txt");
        assertThat(file).as("written by license-maven-plugin at generate-resources, packed into medhub.jar").exists();
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
