package org.medhub.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medhub.fhir.AuditEvents.about;
import static org.medhub.fhir.AuditEvents.awaitEach;
import static org.medhub.fhir.AuditEvents.subtype;
import static org.medhub.fhir.FhirHttp.json;
import static org.medhub.fhir.FhirHttp.parse;

import java.time.Duration;
import java.util.Date;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medhub.fhir.standalone.FhirServerApplication;
import org.medhub.platform.audit.AuditTrail;
import org.medhub.platform.audit.RestAuditEvents;
import org.medhub.platform.testing.KeycloakExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An audit record, once recorded, survives the server stopping: what the drainer had not yet
 * published when the server stopped is published at the next start, and a graceful stop publishes
 * what it can before it ends.
 */
@ExtendWith(KeycloakExtension.class)
class AuditDurabilityIT {

    private static final Duration PUBLISHED_WITHIN = Duration.ofSeconds(30);

    @Test
    void eventsNotPublishedBeforeAStopArePublishedAfterItAndAGracefulStopDrainsTheRest() {
        String dataDirectory = "target/it-postgres/audit-durability-" + UUID.randomUUID();
        String beforeCrash = "durability-before-stop-" + UUID.randomUUID();
        String beforeGracefulStop = "durability-graceful-stop-" + UUID.randomUUID();
        String patient;

        // 1. Nothing is drained: the interval is longer than the test and the stop does not drain,
        //    as if the server had crashed right after answering.
        try (ConfigurableApplicationContext first = start(dataDirectory,
                "--medhub.audit.drain-interval=1h", "--medhub.audit.shutdown-drain-timeout=0s")) {
            FhirHttp http = new FhirHttp(port(first), FhirHttp.tokensOf("admin"));
            Patient created = parse(http.post("Patient", json(new Patient().setActive(true))), Patient.class);
            patient = "Patient/" + created.getIdElement().getIdPart();
            assertThat(http.get(patient).statusCode()).isEqualTo(200);
            first.getBean(AuditTrail.class).record(event(beforeCrash));

            assertThat(AuditEvents.all(http)).noneMatch(subtype(beforeCrash)).noneMatch(about(patient));
            assertThat(http.get("/actuator/prometheus", "Accept", "text/plain").body())
                    .containsPattern("medhub_audit_outbox_pending\\{[^}]*\\} [1-9]");
        }

        // 2. The first drain after the start publishes them; this run then stops gracefully with
        //    one more event waiting, which the stop publishes.
        try (ConfigurableApplicationContext second = start(dataDirectory, "--medhub.audit.drain-interval=1h")) {
            FhirHttp http = new FhirHttp(port(second), FhirHttp.tokensOf("admin"));
            awaitEach(http, PUBLISHED_WITHIN,
                    subtype(beforeCrash), subtype("create").and(about(patient)), subtype("read").and(about(patient)));
            second.getBean(AuditTrail.class).record(event(beforeGracefulStop));
        }

        // 3. Auditing off: whatever is stored now was stored by the graceful stop above.
        try (ConfigurableApplicationContext third = start(dataDirectory, "--medhub.audit.enabled=false")) {
            FhirHttp http = new FhirHttp(port(third), FhirHttp.tokensOf("admin"));
            assertThat(AuditEvents.all(http)).anyMatch(subtype(beforeGracefulStop));
            assertThat(AuditEvents.all(http)).filteredOn(subtype(beforeCrash)).hasSize(1);
        }
    }

    /** An event as another module (DICOMweb, ML, CDS) would record it. */
    private static AuditEvent event(String subtype) {
        AuditEvent event = new AuditEvent();
        event.getType().setSystem(RestAuditEvents.AUDIT_EVENT_TYPE_SYSTEM).setCode("rest");
        event.addSubtype().setSystem("urn:medhub:test").setCode(subtype);
        event.setOutcome(AuditEventOutcome._0);
        event.setRecorded(new Date());
        event.addAgent().setRequestor(true).getWho().setDisplay("test");
        event.getSource().getObserver().setDisplay("AuditDurabilityIT");
        return event;
    }

    private static ConfigurableApplicationContext start(String dataDirectory, String... settings) {
        String[] args = new String[settings.length + 2];
        args[0] = "--server.port=0";
        args[1] = "--medhub.database.data-directory=" + dataDirectory;
        System.arraycopy(settings, 0, args, 2, settings.length);
        return new SpringApplicationBuilder(FhirServerApplication.class).run(args);
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
