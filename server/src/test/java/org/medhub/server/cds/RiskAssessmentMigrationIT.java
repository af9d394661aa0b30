package org.medhub.server.cds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medhub.cdshooks.DevEhr;
import org.medhub.cdshooks.OldRiskAssessments;
import org.medhub.cdshooks.record.RiskAssessmentMigration;
import org.medhub.cdshooks.record.RiskAssessments;
import org.medhub.platform.testing.KeycloakExtension;
import org.medhub.platform.testing.KeycloakTestServer;
import org.medhub.platform.testing.conformance.R4Conformance;
import org.medhub.server.MedHubApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An upgraded database: a server without the migration (as MedHub before issue 14) holds
 * RiskAssessments with {@code probabilityDecimal} on 0..1; the new code starts on the same data,
 * and an R4 client then reads every one of them as the percentage it is. Also: two nodes migrating
 * at once multiply nothing twice, and what is not in the old form is left alone.
 */
@ExtendWith(KeycloakExtension.class)
class RiskAssessmentMigrationIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void riskAssessmentsWrittenOnTheZeroToOneScaleReadAsPercentagesAfterTheUpgrade() throws Exception {
        String dataDirectory = "target/it-postgres/cds-migration-" + UUID.randomUUID();
        Map<String, BigDecimal> expected = new LinkedHashMap<>();
        String outOfScale;
        String alreadyPercent;

        try (ConfigurableApplicationContext before = start(dataDirectory, false)) {
            IGenericClient fhir = client(before);
            OldMedHub old = new OldMedHub(fhir);
            double[] fractions = {0.004123456789012345, 0.00412, 0.14159265358979, 0.5, 1.0, 0.0, 0.0999999};
            String[] percents = {"0.4123", "0.412", "14.16", "50", "100", "0", "10"};
            for (int i = 0; i < fractions.length; i++) {
                expected.put(old.write(fractions[i]), new BigDecimal(percents[i]));
            }
            outOfScale = old.write(41.2);
            alreadyPercent = old.writeCurrentForm(new BigDecimal("0.412"));
        }

        try (ConfigurableApplicationContext after = start(dataDirectory, true)) {
            IGenericClient fhir = client(after);
            awaitTagged(fhir, expected.keySet());
            for (Map.Entry<String, BigDecimal> written : expected.entrySet()) {
                RiskAssessment risk = fhir.read().resource(RiskAssessment.class).withId(written.getKey()).execute();
                BigDecimal percent = risk.getPredictionFirstRep().getProbabilityDecimalType().getValue();
                assertThat(percent).as(written.getKey()).isEqualByComparingTo(written.getValue());
                assertThat(percent.toPlainString()).as(written.getKey()).isEqualTo(written.getValue().toPlainString());
                assertThat(risk.getMeta().getVersionId()).as("rewritten once").isEqualTo("2");
                assertThat(risk.getExtensionByUrl(RiskAssessments.EXPLANATION).getExtensionByUrl("baseValue").getValue()
                        .primitiveValue()).isEqualTo("-1.735");
                R4Conformance.shared().assertConforms(risk);
            }
            RiskAssessment untouched = fhir.read().resource(RiskAssessment.class).withId(outOfScale).execute();
            assertThat(untouched.getMeta().getVersionId()).as("above 1: not a fraction, left alone").isEqualTo("1");
            assertThat(untouched.getPredictionFirstRep().getProbabilityDecimalType().getValue()).isEqualByComparingTo("41.2");
            assertThat(fhir.read().resource(RiskAssessment.class).withId(alreadyPercent).execute().getMeta().getVersionId())
                    .as("already in the current form").isEqualTo("1");

            // Two nodes starting at once: each old one is rewritten exactly once between them.
            OldMedHub old = new OldMedHub(fhir);
            List<String> more = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                more.add(old.write(0.00412));
            }
            RiskAssessments writer = after.getBean(RiskAssessments.class);
            List<CompletableFuture<RiskAssessmentMigration.Result>> nodes = List.of(
                    CompletableFuture.supplyAsync(() -> new RiskAssessmentMigration(writer).run()),
                    CompletableFuture.supplyAsync(() -> new RiskAssessmentMigration(writer).run()));
            List<RiskAssessmentMigration.Result> results = nodes.stream().map(CompletableFuture::join).toList();

            assertThat(results.stream().mapToInt(RiskAssessmentMigration.Result::migrated).sum()).as(results.toString())
                    .isEqualTo(more.size());
            for (String id : more) {
                RiskAssessment risk = fhir.read().resource(RiskAssessment.class).withId(id).execute();
                assertThat(risk.getPredictionFirstRep().getProbabilityDecimalType().getValueAsString()).as(id).isEqualTo("0.412");
                assertThat(risk.getMeta().getVersionId()).as(id).isEqualTo("2");
            }
            assertThat(new RiskAssessmentMigration(writer).run()).as("a further run finds nothing to do")
                    .isEqualTo(new RiskAssessmentMigration.Result(0, 0, 1));
        }
    }

    /** Polls until the migration the start launched has tagged every one of {@code ids}. */
    private static void awaitTagged(IGenericClient fhir, Iterable<String> ids) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        for (String id : ids) {
            await("migration of " + id + " after the start").atMost(Duration.between(Instant.now(), deadline))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> fhir.read().resource(RiskAssessment.class).withId(id).execute().getMeta()
                            .getTag(RiskAssessments.FORMAT_SYSTEM, RiskAssessments.FORMAT_PERCENT) != null);
        }
    }

    /** Writes RiskAssessments as MedHub did before issue 14 (the JSON of {@code risk-assessment-form-1.json}). */
    private static final class OldMedHub {

        private final IGenericClient fhir;
        private final String patient;
        private final String device;
        private final String modelVersion = UUID.randomUUID().toString();

        OldMedHub(IGenericClient fhir) {
            this.fhir = fhir;
            Patient p = new Patient();
            p.addName().setFamily("Upgraded").addGiven("Test");
            this.patient = fhir.create().resource(p).execute().getId().getIdPart();
            Device d = new Device();
            d.addIdentifier().setSystem(RiskAssessments.MODEL_VERSION_SYSTEM).setValue(modelVersion);
            this.device = fhir.create().resource(d).execute().getId().getIdPart();
        }

        String write(double probabilityFraction) {
            String json = OldRiskAssessments.json(Map.of("hookInstance", UUID.randomUUID().toString(), "modelVersion", modelVersion,
                    "patient", patient, "device", device, "probabilityFraction", Double.toString(probabilityFraction),
                    "noted", String.format(Locale.ROOT, "%.1f %%", 100 * probabilityFraction)));
            IdType id = (IdType) fhir.create().resource(json).execute().getId();
            return "RiskAssessment/" + id.getIdPart();
        }

        /** One the new code wrote: percentage and tag. */
        String writeCurrentForm(BigDecimal percent) {
            RiskAssessment risk = FHIR.newJsonParser().parseResource(RiskAssessment.class, OldRiskAssessments.json(Map.of(
                    "hookInstance", UUID.randomUUID().toString(), "modelVersion", modelVersion, "patient", patient,
                    "device", device, "probabilityFraction", percent.toPlainString(), "noted", percent + " %")));
            risk.getMeta().addTag(RiskAssessments.FORMAT_SYSTEM, RiskAssessments.FORMAT_PERCENT, null);
            return "RiskAssessment/" + fhir.create().resource(risk).execute().getId().getIdPart();
        }
    }

    /** The all-in-one server on {@code dataDirectory}; {@code cds=false} is a MedHub without the migration. */
    private static ConfigurableApplicationContext start(String dataDirectory, boolean cds) {
        return new SpringApplicationBuilder(MedHubApplication.class).run("--server.port=0",
                "--medhub.database.data-directory=" + dataDirectory + "/postgres",
                "--medhub.data-directory=" + dataDirectory, "--medhub.ml.worker-threads=2",
                "--medhub.cds.enabled=" + cds, "--medhub.cds.spec-directory=" + DevEhr.configDirectory().resolve("ml"));
    }

    private static IGenericClient client(ConfigurableApplicationContext server) {
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        IGenericClient client = FHIR.newRestfulGenericClient(
                "http://localhost:" + ((WebServerApplicationContext) server).getWebServer().getPort() + "/fhir");
        client.registerInterceptor(new BearerTokenAuthInterceptor(KeycloakTestServer.shared().token("clinician")));
        return client;
    }
}
