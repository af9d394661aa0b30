package org.medhub.cdshooks.prefetch;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.medhub.cdshooks.request.BadRequestException;

/** A prefetch value of the client's request as a FHIR R4 resource. */
public final class Prefetch {

    private Prefetch() {}

    /**
     * @throws BadRequestException when the value is not a FHIR R4 resource in JSON (HAPI signals bad
     *     input with several exception types; all of them are the client's error here)
     */
    public static IBaseResource parse(IParser parser, String key, JsonNode json) {
        if (!json.isObject()) {
            throw new BadRequestException("prefetch '" + key + "' is not a FHIR R4 resource (not a JSON object)");
        }
        try {
            return parser.parseResource(json.toString());
        } catch (DataFormatException | ClassCastException | IllegalArgumentException | IllegalStateException e) {
            throw new BadRequestException("prefetch '" + key + "' is not a FHIR R4 resource: " + e.getMessage());
        }
    }
}
