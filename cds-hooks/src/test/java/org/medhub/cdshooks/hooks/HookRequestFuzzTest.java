package org.medhub.cdshooks.hooks;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.medhub.cdshooks.prefetch.Prefetch;
import org.medhub.cdshooks.request.BadRequestException;
import org.medhub.cdshooks.request.RequestBodies;

/**
 * Fuzz targets for what a verified CDS client's body goes through before the flow uses it: JSON to
 * {@link HookRequest} with its checks and each prefetch value to a FHIR resource, and JSON to the
 * feedback outcomes. Bad input must end as {@link BadRequestException} (400); any other exception
 * would be a 500. The seeds ({@code HookRequestFuzzTestInputs/}) run in every build; {@code
 * JAZZER_FUZZ=1} fuzzes.
 */
class HookRequestFuzzTest {

    private static final IParser FHIR = FhirContext.forR4Cached().newJsonParser();

    @FuzzTest(maxDuration = "10m")
    void serviceRequest(byte[] body) {
        HookRequest request;
        try {
            request = HookRequests.parse(body);
        } catch (BadRequestException expected) {
            return;
        }
        for (Map.Entry<String, JsonNode> prefetch : request.prefetch() == null ? Map.<String, JsonNode>of().entrySet()
                : request.prefetch().entrySet()) {
            if (prefetch.getValue() != null && !prefetch.getValue().isNull()) {
                try {
                    Prefetch.parse(FHIR, prefetch.getKey(), prefetch.getValue());
                } catch (BadRequestException expected) {
                    // The client's error: 400.
                }
            }
        }
    }

    @FuzzTest(maxDuration = "10m")
    void feedbackRequest(byte[] body) {
        try {
            RequestBodies.parse(body, FeedbackRequest.class).items();
        } catch (BadRequestException expected) {
            // The client's error: 400.
        }
    }
}
