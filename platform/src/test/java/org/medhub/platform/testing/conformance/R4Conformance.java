package org.medhub.platform.testing.conformance;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * HAPI's instance validator against FHIR R4 (the core package shipped in
 * {@code hapi-fhir-validation-resources-r4}) and against every conformance resource found on the
 * test class path under {@link #DEFINITIONS}: MedHub's own extension definitions and the profiles
 * MedHub claims (differentials are given snapshots here). Nothing is fetched: a code from a code
 * system the validator does not carry is a warning, not a pass and not a network call.
 *
 * <p>Tests use it to check what MedHub writes as a client would read it, independently of the code
 * that wrote it: {@link #assertConforms} fails with the validator's own messages.
 */
public final class R4Conformance {

    /** Where conformance resources are looked for: one folder name, on every class path root. */
    public static final List<String> DEFINITIONS = List.of(
            "classpath*:org/medhub/platform/fhir/definitions/*.json",
            "classpath*:conformance/**/*.json");

    private static final Set<ResultSeverityEnum> FAILING = EnumSet.of(ResultSeverityEnum.ERROR, ResultSeverityEnum.FATAL);

    /**
     * The validator's messages that say nothing about the resource, only about what an offline
     * validator lacks; each is matched narrowly, and nothing else is ever passed over.
     */
    static final List<String> OFFLINE_GAPS = List.of(
            // The security label AIAST (HL7 "AI Transparency on FHIR") is in terminology.hl7.org's
            // v3-ObservationValue today, but not in the copy R4's core package (4.0.1) carries.
            "Unknown code 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue#AIAST'",
            // HAPI 8.8, validating any StructureDefinition (HL7's own core extensions too), fails to
            // regenerate its snapshot for want of the core package's id.
            "Unable to resolve package id hl7.fhir.r4.core#null");

    private static R4Conformance shared;

    private final FhirContext context;
    private final ValidationSupportChain chain;
    private final FhirValidator validator;
    private final List<String> loaded;

    private R4Conformance(FhirContext context) {
        this.context = context;
        PrePopulatedValidationSupport definitions = new PrePopulatedValidationSupport(context);
        this.loaded = loadDefinitions(context, definitions);
        UnknownCodeSystemWarningValidationSupport unknownCodeSystems = new UnknownCodeSystemWarningValidationSupport(context);
        unknownCodeSystems.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);
        this.chain = new ValidationSupportChain(
                new DefaultProfileValidationSupport(context),
                definitions,
                new SnapshotGeneratingValidationSupport(context),
                new CommonCodeSystemsTerminologyService(context),
                new InMemoryTerminologyServerValidationSupport(context),
                unknownCodeSystems);
        FhirInstanceValidator instanceValidator = new FhirInstanceValidator(chain);
        instanceValidator.setAnyExtensionsAllowed(false); // an extension without a definition is an error
        this.validator = context.newValidator().registerValidatorModule(instanceValidator);
    }

    /** One validator per test JVM: building the R4 snapshot caches takes seconds. */
    public static synchronized R4Conformance shared() {
        if (shared == null) {
            shared = new R4Conformance(FhirContext.forR4Cached());
        }
        return shared;
    }

    /** The canonical URLs of the conformance resources loaded besides R4's own. */
    public List<String> loadedDefinitions() {
        return loaded;
    }

    /**
     * The differential elements of a loaded profile whose rules the generated snapshot does not carry
     * (the validator checks the snapshot only): the snapshot generator drops, without an error, an
     * element listed out of the base's order. Empty when every min, max, pattern, fixed value, binding,
     * slicing and target profile reached the snapshot.
     */
    public List<String> rulesLostInSnapshot(String profileUrl) {
        StructureDefinition profile = (StructureDefinition) chain.fetchStructureDefinition(profileUrl);
        if (profile == null) {
            throw new IllegalArgumentException(profileUrl + " is not loaded");
        }
        if (!profile.hasSnapshot()) { // as the validator does on first use of a differential
            profile = (StructureDefinition) chain.generateSnapshot(
                    new ValidationSupportContext(chain), profile, profileUrl, null, profile.getName());
        }
        Map<String, ElementDefinition> snapshot = new HashMap<>();
        profile.getSnapshot().getElement().forEach(element -> snapshot.put(element.getId(), element));
        List<String> lost = new ArrayList<>();
        for (ElementDefinition rule : profile.getDifferential().getElement()) {
            ElementDefinition carried = snapshot.get(rule.getId());
            if (carried == null || !carries(carried, rule)) {
                lost.add(rule.getId());
            }
        }
        return lost;
    }

    private static boolean carries(ElementDefinition snapshot, ElementDefinition rule) {
        return (!rule.hasMin() || rule.getMin() == snapshot.getMin())
                && (!rule.hasMax() || rule.getMax().equals(snapshot.getMax()))
                && (!rule.hasPattern() || rule.getPattern().equalsDeep(snapshot.getPattern()))
                && (!rule.hasFixed() || rule.getFixed().equalsDeep(snapshot.getFixed()))
                && (!rule.hasBinding() || rule.getBinding().getValueSet().equals(snapshot.getBinding().getValueSet()))
                && (!rule.hasSlicing() || snapshot.hasSlicing())
                && rule.getType().stream().flatMap(type -> type.getTargetProfile().stream())
                        .allMatch(target -> snapshot.getType().stream().anyMatch(type -> type.hasTargetProfile(target.getValue())));
    }

    public ValidationResult validate(IBaseResource resource) {
        return validator.validateWithResult(resource);
    }

    public ValidationResult validate(String resourceJson) {
        return validator.validateWithResult(resourceJson);
    }

    /** The error and fatal messages, each with its location. */
    public List<String> errors(IBaseResource resource) {
        return failing(validate(resource));
    }

    public List<String> errors(String resourceJson) {
        return failing(validate(resourceJson));
    }

    /** Fails with the validator's messages unless the resource conforms to R4 and its claimed profiles. */
    public void assertConforms(IBaseResource resource) {
        List<String> errors = errors(resource);
        if (!errors.isEmpty()) {
            throw new AssertionError(describe(resource) + " does not conform:\n  " + String.join("\n  ", errors)
                    + "\n" + context.newJsonParser().setPrettyPrint(true).encodeResourceToString(resource));
        }
    }

    private String describe(IBaseResource resource) {
        String type = context.getResourceType(resource);
        return resource.getIdElement().hasIdPart() ? type + "/" + resource.getIdElement().getIdPart() : type;
    }

    private static List<String> failing(ValidationResult result) {
        List<String> errors = new ArrayList<>();
        for (SingleValidationMessage message : result.getMessages()) {
            if (FAILING.contains(message.getSeverity())
                    && OFFLINE_GAPS.stream().noneMatch(gap -> message.getMessage().contains(gap))) {
                errors.add(message.getLocationString() + ": " + message.getMessage());
            }
        }
        return errors;
    }

    private static List<String> loadDefinitions(FhirContext context, PrePopulatedValidationSupport into) {
        List<String> urls = new ArrayList<>();
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
        try {
            for (String pattern : DEFINITIONS) {
                for (Resource file : resolver.getResources(pattern)) {
                    try (InputStream in = file.getInputStream()) {
                        IBaseResource definition = context.newJsonParser()
                                .parseResource(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                        into.addResource(definition);
                        urls.add(context.newTerser().getSinglePrimitiveValueOrNull(definition, "url"));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the conformance resources", e);
        }
        return List.copyOf(urls);
    }
}
