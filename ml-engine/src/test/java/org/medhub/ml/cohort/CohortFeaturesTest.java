package org.medhub.ml.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medhub.ml.cohort.CohortFeatures.PatientRecord;
import org.medhub.ml.cohort.CohortFeatures.Row;
import org.medhub.ml.dataset.CsvDatasets;
import org.medhub.ml.dataset.Dataset;
import org.medhub.platform.testing.SyntheaCohort;

/**
 * Feature extraction on real Synthea bundles, checked against a second, independent reading of the
 * same JSON (plain tree walking, no HAPI model): latest values before the index date, panel
 * components, condition presence, age, and the outcome within the horizon.
 */
class CohortFeaturesTest {

    private static final LocalDate INDEX = LocalDate.of(2023, 6, 30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private static CohortSpec spec;
    private static final List<Path> patientBundles = new ArrayList<>();

    @BeforeAll
    static void cohort() throws Exception {
        spec = CohortSpecs.parse(CohortSpecsTest.shippedCvdRisk());
        for (Path bundle : SyntheaCohort.generate(20, 2027, 10).bundlesInLoadOrder()) {
            String name = bundle.getFileName().toString();
            if (!name.startsWith("hospitalInformation") && !name.startsWith("practitionerInformation")) {
                patientBundles.add(bundle);
            }
        }
    }

    @Test
    void featuresAreTheLatestValuesBeforeTheIndexDateAsTheRawBundlesSay() throws Exception {
        int withSystolic = 0;
        int withSmoking = 0;
        for (Path file : patientBundles) {
            JsonNode raw = JSON.readTree(file.toFile());
            Map<String, Object> features = CohortFeatures.features(spec, record(file), INDEX);

            assertThat(features.get("age")).as(file.toString()).isEqualTo((double) rawAge(raw));
            assertThat(features.get("sex")).isEqualTo(resources(raw, "Patient").get(0).path("gender").asText());
            Optional<JsonNode> systolic = latestBefore(raw, "8480-6", true);
            assertThat(features.get("sbp")).isEqualTo(systolic.map(JsonNode::asDouble).orElse(null));
            Optional<JsonNode> hdl = latestBefore(raw, "2085-9", false);
            assertThat(features.get("hdl")).isEqualTo(hdl.map(JsonNode::asDouble).orElse(null));
            Optional<JsonNode> smoking = latestBefore(raw, "72166-2", false);
            assertThat(features.get("smoking")).isEqualTo(smoking
                    .map(v -> spec.features().get(6).categories().get(v.asText())).orElse(null));
            assertThat(features.get("hypertension")).isEqualTo(rawHasCondition(raw, List.of("59621000", "38341003")) ? "yes" : "no");
            withSystolic += systolic.isPresent() ? 1 : 0;
            withSmoking += smoking.isPresent() ? 1 : 0;
        }
        // The check above means something only if the cohort has such values at all.
        assertThat(withSystolic).isPositive();
        assertThat(withSmoking).isPositive();
    }

    @Test
    void theCohortLeavesOutPrevalentCasesAndCountsOnsetsWithinTheHorizon() throws Exception {
        List<String> label = spec.label().condition().codes();
        LocalDate end = INDEX.plusYears(spec.label().horizonYears());
        for (Path file : patientBundles) {
            JsonNode raw = JSON.readTree(file.toFile());
            List<LocalDate> onsets = resources(raw, "Condition").stream()
                    .filter(c -> label.contains(c.at("/code/coding/0/code").asText()))
                    .map(c -> LocalDate.parse(c.path("onsetDateTime").asText().substring(0, 10)))
                    .toList();
            int age = rawAge(raw);
            boolean inAgeRange = age >= spec.minAge() && age <= spec.maxAge();
            boolean prevalent = onsets.stream().anyMatch(o -> !o.isAfter(INDEX));
            Optional<Row> row = CohortFeatures.row(spec, record(file), INDEX);

            assertThat(row.isPresent()).as(file.toString()).isEqualTo(inAgeRange && !prevalent);
            row.ifPresent(r -> assertThat(r.outcome())
                    .isEqualTo(onsets.stream().anyMatch(o -> o.isAfter(INDEX) && !o.isAfter(end))));
        }
    }

    @Test
    void theTableIsADatasetWithTheSpecsColumnsAndNoIdentifiers() throws Exception {
        // Hypertension by then, prevalent cases kept: common enough for both classes in 20 patients.
        CohortSpec common = CohortSpecs.parse("""
                name: hypertension
                label:
                  name: hypertensive
                  horizonYears: 2
                  excludePrevalent: false
                  condition: {system: http://snomed.info/sct, codes: ["59621000"]}
                features:
                  - {name: age, patient: age}
                  - {name: sex, patient: sex}
                  - {name: bmi, observation: {system: http://loinc.org, codes: ["39156-5"]}}
                subgroups:
                  - {feature: sex}
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<Row> rows = new ArrayList<>();
        List<String> identifiers = new ArrayList<>();
        for (Path file : patientBundles) {
            CohortFeatures.row(common, record(file), INDEX).ifPresent(rows::add);
            JsonNode patient = resources(JSON.readTree(file.toFile()), "Patient").get(0);
            identifiers.add(patient.path("id").asText());
            identifiers.add(patient.at("/name/0/family").asText());
        }
        byte[] csv = CohortTable.csv(common, rows);
        Dataset data = CsvDatasets.read(csv, CohortTable.datasetSpec(common));

        assertThat(data.featureNames()).containsExactly("age", "sex", "bmi");
        assertThat(data.size()).isEqualTo(rows.size());
        assertThat(data.positives()).isEqualTo((int) rows.stream().filter(Row::outcome).count()).isPositive();
        assertThat(data.positiveClass()).isEqualTo("yes");
        String text = new String(csv, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(identifiers).allSatisfy(id -> assertThat(text).doesNotContain(id));
    }

    private static PatientRecord record(Path file) throws Exception {
        Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, Files.readString(file));
        Patient patient = null;
        List<Observation> observations = new ArrayList<>();
        List<Condition> conditions = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            switch (entry.getResource()) {
                case Patient p -> patient = p;
                case Observation o -> observations.add(o);
                case Condition c -> conditions.add(c);
                default -> { }
            }
        }
        return new PatientRecord(patient, observations, conditions);
    }

    private static List<JsonNode> resources(JsonNode bundle, String type) {
        List<JsonNode> found = new ArrayList<>();
        bundle.path("entry").forEach(e -> {
            if (type.equals(e.at("/resource/resourceType").asText())) {
                found.add(e.path("resource"));
            }
        });
        return found;
    }

    private static int rawAge(JsonNode bundle) {
        LocalDate born = LocalDate.parse(resources(bundle, "Patient").get(0).path("birthDate").asText());
        return Period.between(born, INDEX).getYears();
    }

    /** The value (number, or the first coding's code) of the latest observation of {@code loinc} on or before the index date. */
    private static Optional<JsonNode> latestBefore(JsonNode bundle, String loinc, boolean component) {
        String latest = null;
        JsonNode value = null;
        for (JsonNode observation : resources(bundle, "Observation")) {
            String when = observation.path("effectiveDateTime").asText();
            if (when.isEmpty() || LocalDate.parse(when.substring(0, 10)).isAfter(INDEX)) {
                continue;
            }
            JsonNode holder = null;
            if (component) {
                for (JsonNode c : observation.path("component")) {
                    if (loinc.equals(c.at("/code/coding/0/code").asText())) {
                        holder = c;
                    }
                }
            } else if (loinc.equals(observation.at("/code/coding/0/code").asText())) {
                holder = observation;
            }
            // ISO 8601 with the same offset sorts as text; a tie keeps the first, as max() in the extractor may not.
            if (holder != null && (latest == null || when.compareTo(latest) > 0)) {
                latest = when;
                value = holder.has("valueQuantity") ? holder.at("/valueQuantity/value") : holder.at("/valueCodeableConcept/coding/0/code");
            }
        }
        return Optional.ofNullable(value);
    }

    private static boolean rawHasCondition(JsonNode bundle, List<String> codes) {
        return resources(bundle, "Condition").stream().anyMatch(c -> codes.contains(c.at("/code/coding/0/code").asText())
                && !LocalDate.parse(c.path("onsetDateTime").asText().substring(0, 10)).isAfter(INDEX));
    }
}
