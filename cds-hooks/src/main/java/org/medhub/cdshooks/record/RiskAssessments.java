package org.medhub.cdshooks.record;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.hl7.fhir.r4.model.RiskAssessment.RiskAssessmentStatus;
import org.hl7.fhir.r4.model.StringType;
import org.medhub.cdshooks.cards.Assessment;
import org.medhub.ml.cohort.PatientEvidence.Source;
import org.medhub.ml.registry.ModelVersion;
import org.medhub.platform.fhir.FhirDecimals;

/**
 * Records each prediction in FHIR as a RiskAssessment, written with the CDS module's own service
 * identity (never the EHR's token), following HL7 "AI Transparency on FHIR": the model version is a
 * Device (type: AI model, linking its model card) named as performer, the RiskAssessment carries the
 * AIAST security label, and a Provenance names the Device as the author. One transaction; the
 * Device and the RiskAssessment are conditional creates (on the model version id and on the
 * hookInstance), so a retried call records nothing twice.
 *
 * <p>{@code prediction.probabilityDecimal} is a percentage (0..100): R4 says "Decimal values are
 * expressed as percentages as well (max = 100)" (invariant ras-2), so an R4 client reads 0.412 as
 * 0.412 %. The ML engine's own probability is a fraction (0..1); it becomes a percentage here and
 * nowhere else. Resources in this form carry the tag {@link #FORMAT_SYSTEM}|{@link #FORMAT_PERCENT};
 * those an earlier MedHub wrote (0..1, without the tag) are rewritten by {@link RiskAssessmentMigration}.
 *
 * <p>The explanation is the extension {@value #EXPLANATION} (defined in platform's
 * {@code org/medhub/platform/fhir/definitions/risk-explanation.json}, published at
 * {@code /fhir/StructureDefinition}): sub-extensions {@code method} (code), {@code outputSpace}
 * (code), {@code baseValue} (decimal) and one {@code contribution} per feature (sub-extensions
 * {@code feature} string, {@code value} string when the model had one, {@code shap} decimal).
 */
public final class RiskAssessments {

    public static final String EXPLANATION = "https://medhub.org/fhir/StructureDefinition/risk-explanation";
    public static final String HOOK_INSTANCE_SYSTEM = "urn:medhub:cds:hook-instance";
    public static final String MODEL_VERSION_SYSTEM = "urn:medhub:ml:model-version";
    static final String AI_DEVICE_TYPE_SYSTEM = "urn:medhub:device-type";
    static final String SECURITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";

    /**
     * The form MedHub writes a RiskAssessment in ({@code meta.tag}), so that a migration tells old
     * from new by what the writer said, not by guessing from the value.
     */
    public static final String FORMAT_SYSTEM = "urn:medhub:cds:risk-assessment-format";

    /** Form 2: {@code probabilityDecimal} in percent. Form 1 (no tag, MedHub before issue 14) had 0..1. */
    public static final String FORMAT_PERCENT = "2";

    private final ServiceFhirClient fhir;

    public RiskAssessments(HttpClient http, Duration timeout, Supplier<URI> fhirBase, Supplier<String> bearerToken) {
        this(new ServiceFhirClient(http, timeout, fhirBase, bearerToken));
    }

    RiskAssessments(ServiceFhirClient fhir) {
        this.fhir = fhir;
    }

    ServiceFhirClient fhir() {
        return fhir;
    }

    /** Writes the RiskAssessment of a prediction; returns its reference ({@code RiskAssessment/id}). */
    public String write(Assessment a, String hookInstance, String modelCardUrl) {
        Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
        ModelVersion v = a.version();
        String deviceUrl = "urn:uuid:" + v.id();
        transaction.addEntry().setFullUrl(deviceUrl).setResource(device(v, modelCardUrl)).getRequest()
                .setMethod(HTTPVerb.POST).setUrl("Device").setIfNoneExist("identifier=" + MODEL_VERSION_SYSTEM + "|" + v.id());
        String riskUrl = "urn:uuid:" + java.util.UUID.randomUUID();
        RiskAssessment risk = riskAssessment(a, hookInstance, deviceUrl);
        transaction.addEntry().setFullUrl(riskUrl).setResource(risk).getRequest()
                .setMethod(HTTPVerb.POST).setUrl("RiskAssessment")
                .setIfNoneExist("identifier=" + HOOK_INSTANCE_SYSTEM + "|" + hookInstance);
        Bundle response = fhir.transaction(transaction);
        Bundle.BundleEntryResponseComponent written = response.getEntry().get(1).getResponse();
        String reference = new org.hl7.fhir.r4.model.IdType(written.getLocation()).toUnqualifiedVersionless().getValue();
        if (written.getStatus().startsWith("201")) {
            String device = new org.hl7.fhir.r4.model.IdType(response.getEntry().get(0).getResponse().getLocation())
                    .toUnqualifiedVersionless().getValue();
            Bundle provenance = new Bundle().setType(BundleType.TRANSACTION);
            provenance.addEntry().setResource(provenance(reference, device, a)).getRequest()
                    .setMethod(HTTPVerb.POST).setUrl("Provenance");
            fhir.transaction(provenance);
        }
        return reference;
    }

    private static Device device(ModelVersion v, String modelCardUrl) {
        Device device = new Device();
        device.addIdentifier().setSystem(MODEL_VERSION_SYSTEM).setValue(v.id().toString());
        device.setType(new CodeableConcept(new Coding(AI_DEVICE_TYPE_SYSTEM, "ai-model", "Artificial intelligence model"))
                .setText("artificial intelligence"));
        device.addDeviceName().setName(v.name()).setType(Device.DeviceNameType.MODELNAME);
        device.addVersion().setValue(String.valueOf(v.version()));
        device.setUrl(modelCardUrl);
        device.addNote().setText("MedHub model " + v.name() + " version " + v.version() + " (" + v.algorithm()
                + ", training data " + v.dataFingerprint() + "); model card: " + modelCardUrl);
        return device;
    }

    static RiskAssessment riskAssessment(Assessment a, String hookInstance, String deviceUrl) {
        ModelVersion v = a.version();
        RiskAssessment risk = new RiskAssessment();
        risk.getMeta().addSecurity(SECURITY_SYSTEM, "AIAST", "Artificial Intelligence asserted");
        risk.getMeta().addTag(formatTag());
        risk.addIdentifier().setSystem(HOOK_INSTANCE_SYSTEM).setValue(hookInstance);
        risk.setStatus(RiskAssessmentStatus.FINAL);
        risk.setSubject(new Reference("Patient/" + a.patientId()));
        Date now = new Date();
        risk.setOccurrence(new DateTimeType(now));
        risk.setMethod(new CodeableConcept(new Coding(MODEL_VERSION_SYSTEM, v.id().toString(),
                v.name() + " v" + v.version())).setText(v.name() + " version " + v.version()));
        risk.setPerformer(new Reference(deviceUrl));
        for (List<Source> sources : a.evidence().evidence().values()) {
            for (Source source : sources) {
                if (!(source.resource() instanceof org.hl7.fhir.r4.model.Patient)) {
                    risk.addBasis(new Reference(source.resource().getResourceType().name() + "/"
                            + source.resource().getIdElement().getIdPart()));
                }
            }
        }
        RiskAssessment.RiskAssessmentPredictionComponent prediction = risk.addPrediction();
        prediction.setOutcome(new CodeableConcept().setText(a.outcome()));
        prediction.setProbability(FhirDecimals.percent(a.probabilityFraction()));
        prediction.setQualitativeRisk(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/risk-probability", a.band().riskProbability(), null)));
        prediction.setWhen(new Period().setStart(now).setEnd(Date.from(a.asOf().plusYears(a.horizonYears())
                .atStartOfDay(ZoneOffset.UTC).toInstant())));
        risk.addExtension(explanation(a));
        risk.addNote().setText(String.format(java.util.Locale.ROOT, "%d-year risk of %s: %s (%s), by %s version %d.",
                a.horizonYears(), a.outcome(), a.percentText(), a.band().label(), v.name(), v.version()));
        return risk;
    }

    static Coding formatTag() {
        return new Coding(FORMAT_SYSTEM, FORMAT_PERCENT, "probabilityDecimal in percent (0..100)");
    }

    /** A model output (base value, SHAP value) as written into FHIR. */
    static org.hl7.fhir.r4.model.DecimalType modelOutput(double value) {
        return FhirDecimals.decimal(value, FhirDecimals.MODEL_OUTPUT_DIGITS);
    }

    private static Extension explanation(Assessment a) {
        Extension explanation = new Extension(EXPLANATION);
        explanation.addExtension("method", new org.hl7.fhir.r4.model.CodeType(a.shap().method()));
        explanation.addExtension("outputSpace", new org.hl7.fhir.r4.model.CodeType(a.shap().outputSpace()));
        explanation.addExtension("baseValue", modelOutput(a.shap().baseValue()));
        for (Map.Entry<String, Double> c : a.shap().contributions().entrySet()) {
            Extension contribution = explanation.addExtension().setUrl("contribution");
            contribution.addExtension("feature", new StringType(c.getKey()));
            Object value = a.evidence().values().get(c.getKey());
            if (value != null) { // a feature the model may do without and the record lacked: no value, not "null"
                contribution.addExtension("value", new StringType(featureValue(value)));
            }
            contribution.addExtension("shap", modelOutput(c.getValue()));
        }
        return explanation;
    }

    /** A number as the digits it has (age 64, not 64.0; no binary noise), a category as it is. */
    static String featureValue(Object value) {
        return value instanceof Double d
                ? FhirDecimals.round(d, FhirDecimals.FEATURE_VALUE_DIGITS).toPlainString()
                : String.valueOf(value);
    }

    private static Provenance provenance(String target, String device, Assessment a) {
        Provenance provenance = new Provenance();
        provenance.addTarget(new Reference(target));
        provenance.setRecorded(new Date());
        provenance.addAgent().setWho(new Reference(device)).setType(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/provenance-participant-type", "author", "Author")));
        for (List<Source> sources : a.evidence().evidence().values()) {
            sources.forEach(s -> provenance.addEntity().setRole(Provenance.ProvenanceEntityRole.SOURCE)
                    .setWhat(new Reference(s.resource().getResourceType().name() + "/" + s.resource().getIdElement().getIdPart())));
        }
        return provenance;
    }
}
