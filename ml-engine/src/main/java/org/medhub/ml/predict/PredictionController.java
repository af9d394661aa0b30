package org.medhub.ml.predict;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.medhub.ml.explain.LimeExplainer;
import org.medhub.ml.explain.ShapExplanation;
import org.medhub.ml.api.MlAccess;
import org.medhub.ml.predict.Predictions.Scored;
import org.medhub.ml.prepare.SchemaViolationException;
import org.medhub.ml.registry.DeployedModel;
import org.medhub.ml.registry.ModelVersion;
import org.medhub.ml.request.InvalidRequestException;
import org.medhub.platform.audit.AuditActor;
import org.medhub.platform.audit.AuditTrail;
import org.medhub.platform.audit.RestAuditEvents;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Predictions and explanations from the active version of a model (or a given {@code version}).
 * Inputs are checked against the version's feature schema (400 naming the field). Each answered
 * request is recorded in the audit trail before the answer leaves, with the model version and, when the
 * caller names one, the patient (a prediction without a patient is recorded all the same: its inputs are
 * still one person's data); if the record cannot be written the prediction is refused. A request refused
 * for its input is recorded with outcome 4 and the reason.
 */
@RestController
@Tag(name = "Predictions", description = "Predictions and explanations from registered models")
@RequestMapping("/ml/api/models/{name}")
public class PredictionController {

    private static final Pattern PATIENT = Pattern.compile("Patient/[A-Za-z0-9\\-.]{1,64}");

    private final Predictions predictions;
    private final AuditTrail audit;

    PredictionController(Predictions predictions, AuditTrail audit) {
        this.predictions = predictions;
        this.audit = audit;
    }

    /**
     * @param features input values by feature name
     * @param patient the FHIR patient the prediction is about ({@code Patient/id}), for the audit trail
     * @param version a registered version; the active one when absent
     * @param lime whether to add LIME weights to an explanation
     */
    record PredictionRequest(Map<String, Object> features, String patient, Integer version, Boolean lime) {}

    /**
     * A prediction: the version that made it and its probability of {@code positiveClass}.
     *
     * @param probability a fraction (0..1)
     */
    record PredictionAnswer(String model, int version, UUID modelVersionId, String algorithm, String dataFingerprint,
            String positiveClass, double probability) {}

    /**
     * A prediction with its explanation.
     *
     * @param localAccuracyError how far {@code baseValue + sum(contributions)} is from the model's output
     * @param lime LIME weights, when asked for
     */
    record ExplanationAnswer(String model, int version, UUID modelVersionId, String algorithm, String dataFingerprint,
            String positiveClass, double probability, ShapExplanation shap, double localAccuracyError,
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Double> lime) {

        ExplanationAnswer(PredictionAnswer p, ShapExplanation shap, Map<String, Double> lime) {
            this(p.model(), p.version(), p.modelVersionId(), p.algorithm(), p.dataFingerprint(), p.positiveClass(),
                    p.probability(), shap, shap.localAccuracyError(), lime);
        }
    }

    @PostMapping("/predict")
    PredictionAnswer predict(@PathVariable String name, @RequestBody PredictionRequest body, HttpServletRequest http) {
        Scored scored = score(name, body, http);
        record(http, body, scored.model().version());
        return answer(scored.model(), scored.probability());
    }

    @PostMapping("/explain")
    ExplanationAnswer explain(@PathVariable String name, @RequestBody PredictionRequest body, HttpServletRequest http) {
        Scored scored = score(name, body, http);
        DeployedModel model = scored.model();
        Map<String, Object> values = scored.values();
        ShapExplanation shap = predictions.explain(scored);
        Map<String, Double> lime = Boolean.TRUE.equals(body.lime())
                ? LimeExplainer.explain(model.model(), model.schema(), model.missingValues(), values,
                        model.version().id().getMostSignificantBits())
                : null;
        record(http, body, model.version());
        return new ExplanationAnswer(answer(model, scored.probability()), shap, lime);
    }

    private Scored score(String name, PredictionRequest body, HttpServletRequest http) {
        MlAccess.PREDICT.require();
        try {
            if (body.patient() != null && !PATIENT.matcher(body.patient()).matches()) {
                throw new InvalidRequestException("patient must be a FHIR reference 'Patient/{id}'");
            }
            return predictions.score(name, body.version(), body.features());
        } catch (InvalidRequestException | SchemaViolationException e) {
            AuditEvent event = event(http, body, AuditEventOutcome._4);
            event.setOutcomeDesc(e.getMessage());
            event.addEntity().setName("model " + name);
            audit.record(event);
            throw e;
        }
    }

    private static AuditEvent event(HttpServletRequest http, PredictionRequest body, AuditEventOutcome outcome) {
        AuditEvent event = RestAuditEvents.forRequest(http, AuditActor.current(), "operation", AuditEventAction.E,
                outcome);
        RestAuditEvents.addRequestEntity(event, http);
        if (body.patient() != null && PATIENT.matcher(body.patient()).matches()) {
            RestAuditEvents.addPatientEntity(event, body.patient());
        }
        return event;
    }

    private static PredictionAnswer answer(DeployedModel model, double probability) {
        ModelVersion version = model.version();
        return new PredictionAnswer(version.name(), version.version(), version.id(), version.algorithm(),
                version.dataFingerprint(), model.schema().positiveClass(), probability);
    }

    private void record(HttpServletRequest http, PredictionRequest body, ModelVersion version) {
        AuditEvent event = event(http, body, AuditEventOutcome._0);
        event.addEntity().setName("model " + version.name() + " v" + version.version())
                .setDescription("model version " + version.id());
        audit.record(event);
    }
}
