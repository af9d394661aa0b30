package org.medhub.cdshooks.record;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.hl7.fhir.r4.model.DecimalType;
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

/**
 * Records each prediction in FHIR as a RiskAssessment, written with the CDS module's own service
 * identity (never the EHR's token), following HL7 "AI Transparency on FHIR": the model version is a
 * Device (type: AI model, linking its model card) named as performer, the RiskAssessment carries the
 * AIAST security label, and a Provenance names the Device as the author. One transaction; the
 * Device and the RiskAssessment are conditional creates (on the model version id and on the
 * hookInstance), so a retried call records nothing twice.
 *
 * <p>{@code prediction.probabilityDecimal} is on the 0..1 scale (FHIR allows 0..100; MedHub uses 0..1
 * everywhere). The explanation is the extension {@value #EXPLANATION}: sub-extensions
 * {@code method} (code), {@code outputSpace} (code), {@code baseValue} (decimal) and one
 * {@code contribution} per feature (sub-extensions {@code feature} string, {@code value} string,
 * {@code shap} decimal).
 */
public final class RiskAssessments {

    public static final String EXPLANATION = "https://medhub.org/fhir/StructureDefinition/risk-explanation";
    public static final String HOOK_INSTANCE_SYSTEM = "urn:medhub:cds:hook-instance";
    public static final String MODEL_VERSION_SYSTEM = "urn:medhub:ml:model-version";
    static final String AI_DEVICE_TYPE_SYSTEM = "urn:medhub:device-type";
    static final String SECURITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";

    private final HttpClient http;
    private final Duration timeout;
    private final Supplier<URI> fhirBase;
    private final Supplier<String> bearerToken;
    private final IParser parser = FhirContext.forR4Cached().newJsonParser();

    public RiskAssessments(HttpClient http, Duration timeout, Supplier<URI> fhirBase, Supplier<String> bearerToken) {
        this.http = http;
        this.timeout = timeout;
        this.fhirBase = fhirBase;
        this.bearerToken = bearerToken;
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
        Bundle response = post(transaction);
        Bundle.BundleEntryResponseComponent written = response.getEntry().get(1).getResponse();
        String reference = new org.hl7.fhir.r4.model.IdType(written.getLocation()).toUnqualifiedVersionless().getValue();
        if (written.getStatus().startsWith("201")) {
            String device = new org.hl7.fhir.r4.model.IdType(response.getEntry().get(0).getResponse().getLocation())
                    .toUnqualifiedVersionless().getValue();
            Bundle provenance = new Bundle().setType(BundleType.TRANSACTION);
            provenance.addEntry().setResource(provenance(reference, device, a)).getRequest()
                    .setMethod(HTTPVerb.POST).setUrl("Provenance");
            post(provenance);
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

    private static RiskAssessment riskAssessment(Assessment a, String hookInstance, String deviceUrl) {
        ModelVersion v = a.version();
        RiskAssessment risk = new RiskAssessment();
        risk.getMeta().addSecurity(SECURITY_SYSTEM, "AIAST", "Artificial Intelligence asserted");
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
        prediction.setProbability(new DecimalType(a.probability()));
        prediction.setQualitativeRisk(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/risk-probability", a.band().riskProbability(), null)));
        prediction.setWhen(new Period().setStart(now).setEnd(Date.from(a.asOf().plusYears(a.horizonYears())
                .atStartOfDay(ZoneOffset.UTC).toInstant())));
        risk.addExtension(explanation(a));
        risk.addNote().setText(String.format(java.util.Locale.ROOT, "%d-year risk of %s: %.1f %% (%s), by %s version %d.",
                a.horizonYears(), a.outcome(), 100 * a.probability(), a.band().label(), v.name(), v.version()));
        return risk;
    }

    private static Extension explanation(Assessment a) {
        Extension explanation = new Extension(EXPLANATION);
        explanation.addExtension("method", new org.hl7.fhir.r4.model.CodeType(a.shap().method()));
        explanation.addExtension("outputSpace", new org.hl7.fhir.r4.model.CodeType(a.shap().outputSpace()));
        explanation.addExtension("baseValue", new DecimalType(a.shap().baseValue()));
        for (Map.Entry<String, Double> c : a.shap().contributions().entrySet()) {
            Extension contribution = explanation.addExtension().setUrl("contribution");
            contribution.addExtension("feature", new StringType(c.getKey()));
            contribution.addExtension("value", new StringType(String.valueOf(a.evidence().values().get(c.getKey()))));
            contribution.addExtension("shap", new DecimalType(c.getValue()));
        }
        return explanation;
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

    private Bundle post(Bundle transaction) {
        HttpRequest request = HttpRequest.newBuilder(fhirBase.get()).timeout(timeout)
                .header("Content-Type", "application/fhir+json")
                .header("Accept", "application/fhir+json")
                .header("Authorization", "Bearer " + bearerToken.get())
                .POST(HttpRequest.BodyPublishers.ofString(parser.encodeResourceToString(transaction))).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("writing to FHIR failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to FHIR", e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("FHIR refused the transaction: HTTP " + response.statusCode() + " "
                    + response.body().substring(0, Math.min(500, response.body().length())));
        }
        return parser.parseResource(Bundle.class, response.body());
    }
}
