package org.medhub.dicomweb.publish;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * HAPI's validator against the R4 core specification, offline. A minimal stand-in until the shared
 * helper (platform test-jar, {@code org.medhub.platform.test.conformance}) is on main.
 */
final class R4Validation {

    private static final FhirContext R4 = FhirContext.forR4Cached();
    private static final FhirValidator VALIDATOR = validator();

    private R4Validation() {}

    /** The validator's errors (and fatal errors) for the resource; empty when it conforms. */
    static List<String> errors(IBaseResource resource) {
        return VALIDATOR.validateWithResult(resource).getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .map(m -> m.getLocationString() + ": " + m.getMessage())
                .toList();
    }

    private static FhirValidator validator() {
        ValidationSupportChain support = new ValidationSupportChain(
                new DefaultProfileValidationSupport(R4),
                new InMemoryTerminologyServerValidationSupport(R4),
                new CommonCodeSystemsTerminologyService(R4));
        FhirInstanceValidator instanceValidator = new FhirInstanceValidator(support);
        instanceValidator.setAnyExtensionsAllowed(true);
        FhirValidator validator = R4.newValidator();
        validator.registerValidatorModule(instanceValidator);
        return validator;
    }
}
