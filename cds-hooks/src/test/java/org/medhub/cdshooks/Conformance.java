package org.medhub.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.medhub.platform.testing.conformance.R4Conformance;

/** What the CDS module writes, checked with platform's {@link R4Conformance}. */
public final class Conformance {

    /**
     * The one message allowed: the security label AIAST (HL7 "AI Transparency on FHIR") is in
     * terminology.hl7.org's v3-ObservationValue today, but not in the copy R4's core package (4.0.1)
     * carries, which is all the validator has offline.
     */
    static final String AIAST_NOT_IN_R4_CORE = "Unknown code 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue#AIAST'";

    private Conformance() {}

    public static void assertConforms(IBaseResource resource) {
        assertThat(R4Conformance.shared().errors(resource))
                .as(FhirContext.forR4Cached().newJsonParser().setPrettyPrint(true).encodeResourceToString(resource))
                .filteredOn(error -> !error.contains(AIAST_NOT_IN_R4_CORE)).isEmpty();
    }
}
