package org.medhub.cdshooks.hooks;

import java.util.regex.Pattern;
import org.medhub.cdshooks.discovery.CdsService;
import org.medhub.cdshooks.request.BadRequestException;
import org.medhub.cdshooks.request.RequestBodies;

/**
 * A service call's body as a {@link HookRequest} the flow can rely on: the hook this service answers,
 * a {@code hookInstance}, and a {@code context.patientId} that is a FHIR id. Bad input of any shape
 * is a {@link BadRequestException} (400), nothing else.
 */
final class HookRequests {

    /** FHIR id syntax (R4 {@code id} datatype). */
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final int MAX_HOOK_INSTANCE = 128;

    private HookRequests() {}

    static HookRequest parse(byte[] body) {
        HookRequest request = RequestBodies.parse(body, HookRequest.class);
        if (!CdsService.HOOK.equals(request.hook())) {
            throw new BadRequestException("this service answers hook " + CdsService.HOOK + " only");
        }
        String instance = request.hookInstance();
        if (instance == null || instance.isBlank() || instance.length() > MAX_HOOK_INSTANCE) {
            throw new BadRequestException("hookInstance is required (a UUID)");
        }
        String patientId = request.patientId();
        // "." and ".." are ids by the regex, but as a path segment they would climb the FHIR base.
        if (patientId == null || !FHIR_ID.matcher(patientId).matches() || patientId.replace(".", "").isEmpty()) {
            throw new BadRequestException("context.patientId is required and must be a FHIR id");
        }
        if (request.fhirServer() != null && request.fhirServer().length() > 2048) {
            throw new BadRequestException("fhirServer is longer than 2048 characters");
        }
        return request;
    }
}
