package org.medhub.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medhub.fhir.FhirHttp.json;
import static org.medhub.fhir.FhirHttp.parse;

import java.net.http.HttpResponse;
import java.util.UUID;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medhub.platform.testing.KeycloakExtension;
import org.medhub.fhir.standalone.FhirServerApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Stopping and starting the server on the same data directory loses nothing. */
@ExtendWith(KeycloakExtension.class)
class RestartIT {

    @Test
    void dataWrittenBeforeARestartIsThereAfterIt() {
        String dataDirectory = "target/it-postgres/restart-" + UUID.randomUUID();
        String family = "Restart" + UUID.randomUUID().toString().substring(0, 8);
        String id;
        int patientsBefore;

        try (ConfigurableApplicationContext first = start(dataDirectory)) {
            FhirHttp http = new FhirHttp(port(first), FhirHttp.tokensOf("clinician"));
            Patient patient = new Patient();
            patient.addName().setFamily(family);
            HttpResponse<String> created = http.post("Patient", json(patient));
            assertThat(created.statusCode()).isEqualTo(201);
            id = parse(created, Patient.class).getIdElement().getIdPart();
            patient.setId(id);
            patient.setActive(true);
            assertThat(http.put("Patient/" + id, json(patient)).statusCode()).isEqualTo(200);
            patientsBefore = http.count("Patient");
        }

        try (ConfigurableApplicationContext second = start(dataDirectory)) {
            FhirHttp http = new FhirHttp(port(second), FhirHttp.tokensOf("clinician"));
            Patient reread = parse(http.get("Patient/" + id), Patient.class);

            assertThat(reread.getNameFirstRep().getFamily()).isEqualTo(family);
            assertThat(reread.getActive()).isTrue();
            assertThat(reread.getMeta().getVersionId()).isEqualTo("2");
            assertThat(http.count("Patient")).isEqualTo(patientsBefore);
        }
    }

    private static ConfigurableApplicationContext start(String dataDirectory) {
        return new SpringApplicationBuilder(FhirServerApplication.class)
                .run("--server.port=0", "--medhub.database.data-directory=" + dataDirectory);
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
