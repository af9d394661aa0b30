package org.medhub.cdshooks.cards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.medhub.cdshooks.CdsProperties.Thresholds;
import org.medhub.ml.cohort.PatientEvidence;
import org.medhub.ml.explain.ShapExplanation;
import org.medhub.ml.registry.ModelVersion;

class CardsTest {

    private static final String BASE = "https://medhub.example";
    private static final UUID CARD = UUID.fromString("0b8e6f4c-3d1a-4c55-9a55-2f4f1d6f2a10");
    private static final LocalDate AS_OF = LocalDate.of(2026, 3, 1);
    private static final ModelVersion VERSION = new ModelVersion(UUID.fromString("5d2c9b1e-0000-4000-8000-000000000001"),
            "cvd-risk", 3, "logistic", Instant.parse("2026-01-01T00:00:00Z"), "researcher", true, "sha256:abc",
            ModelVersion.State.ACTIVE);

    private final Cards cards = new Cards(new Thresholds(0.1, 0.2));

    @Test
    void aPredictionBecomesACardWithItsBandTheModelCardAsSourceAndTheSmartLink() {
        Card card = cards.card(CARD, predicted(0.25), BASE);

        assertThat(card.uuid()).isEqualTo(CARD.toString());
        assertThat(card.summary()).isEqualTo("10-year risk cardiovascular event: 25.0 % (high) - cvd-risk v3");
        assertThat(card.indicator()).isEqualTo("critical");
        assertThat(card.source()).isEqualTo(new Card.Source("MedHub cvd-risk v3",
                BASE + "/ml/api/models/cvd-risk/versions/3/model-card"));
        assertThat(card.links()).containsExactly(new Card.Link("Open the MedHub clinician app", BASE + "/app/", "smart",
                "patient=p1"));
        assertThat(card.overrideReasons()).extracting(Card.Coding::code)
                .containsExactly("data-outdated", "already-managed", "disagree");
        assertThat(card.overrideReasons()).extracting(Card.Coding::system).containsOnly(Cards.OVERRIDE_REASON_SYSTEM);
        assertThat(card.detail()).contains("**Estimated 10-year risk of cardiovascular event: 25.0 %** (high; bands: "
                        + "below 10.0 % low, from 10.0 % intermediate, from 20.0 % high).")
                .contains("| sbp | 150 | raises risk (+0.800) |")
                .contains("| age | 62 | raises risk (+0.300) |")
                .contains("- sbp = 150 from Observation/o1, 2026-02-01 (1 month old)")
                .endsWith("Model: cvd-risk version 3 (logistic, training data sha256:abc).");
    }

    @Test
    void theBandsFollowTheConfiguredThresholds() {
        assertThat(cards.card(CARD, predicted(0.05), BASE).indicator()).isEqualTo("info");
        assertThat(cards.card(CARD, predicted(0.1), BASE).indicator()).isEqualTo("warning");
        assertThat(cards.card(CARD, predicted(0.2), BASE).indicator()).isEqualTo("critical");
    }

    @Test
    void withoutAPredictionTheCardSaysWhichValueWasUnusableAndGuessesNothing() {
        Assessment none = new Assessment("p1", VERSION, "cardiovascular event", 10, AS_OF, evidence(),
                Map.of("sbp", "no value within 1 year"), null, null, null);

        Card card = cards.card(CARD, none, BASE);

        assertThat(card.indicator()).isEqualTo("info");
        assertThat(card.summary()).isEqualTo("No 10-year risk estimate: no usable value for sbp - cvd-risk v3");
        assertThat(card.detail()).startsWith("**No estimate**: the record lacks values the model needs")
                .contains("- sbp: no value within 1 year")
                .doesNotContain("- sbp = ");
    }

    @Test
    void aSummaryLongerThanTheSpecAllowsIsCutTo140Characters() {
        Assessment none = new Assessment("p1", VERSION, "cardiovascular event", 10, AS_OF, evidence(),
                Map.of("a-feature-with-a-very-long-name-".repeat(5), "missing"), null, null, null);

        String summary = cards.card(CARD, none, BASE).summary();

        assertThat(summary).hasSize(Cards.MAX_SUMMARY - 1).endsWith("…");
    }

    @Test
    void theCardIsWrittenInTheShapeOfTheSpec() throws Exception {
        JsonNode json = new ObjectMapper().valueToTree(cards.card(CARD, predicted(0.25), BASE));

        assertThat(json.fieldNames()).toIterable()
                .containsExactly("uuid", "summary", "indicator", "detail", "source", "overrideReasons", "links");
        assertThat(json.at("/source/url").asText()).isEqualTo(BASE + "/ml/api/models/cvd-risk/versions/3/model-card");
        assertThat(json.at("/links/0/type").asText()).isEqualTo("smart");
        assertThat(json.at("/links/0/appContext").asText()).isEqualTo("patient=p1");
        assertThat(json.at("/overrideReasons/1/code").asText()).isEqualTo("already-managed");
        assertThat(json.at("/overrideReasons/1/system").asText()).isEqualTo(Cards.OVERRIDE_REASON_SYSTEM);
    }

    private static Assessment predicted(double probability) {
        Map<String, Double> contributions = new LinkedHashMap<>();
        contributions.put("age", 0.3);
        contributions.put("sbp", 0.8);
        ShapExplanation shap = new ShapExplanation("linear", "log-odds", -2.0, -0.9, contributions);
        return new Assessment("p1", VERSION, "cardiovascular event", 10, AS_OF, evidence(), Map.of(), probability,
                RiskBand.of(probability, new Thresholds(0.1, 0.2)), shap);
    }

    private static PatientEvidence evidence() {
        Patient patient = new Patient();
        patient.setId("p1");
        Observation sbp = new Observation();
        sbp.setId("o1");
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("age", 62.0);
        values.put("sbp", 150.0);
        Map<String, List<PatientEvidence.Source>> used = new LinkedHashMap<>();
        used.put("age", List.of(new PatientEvidence.Source(patient, null)));
        used.put("sbp", List.of(new PatientEvidence.Source(sbp, LocalDate.of(2026, 2, 1))));
        return new PatientEvidence(values, used);
    }
}
