package org.medhub.dicomweb.publish;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.net.URI;
import java.util.Optional;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.medhub.platform.services.ServiceCredentials;

/**
 * Sends transactions to {@code /fhir} as the DICOMweb module's service account (never with a
 * user's token: publication runs long after the request that stored the images).
 */
final class FhirTarget {

    private final FhirContext context;
    private final Supplier<URI> baseUrl;
    private final ServiceCredentials credentials;

    FhirTarget(Supplier<URI> baseUrl, ServiceCredentials credentials) {
        this.context = FhirContext.forR4();
        // The base may be this very server, not started yet: no CapabilityStatement check up front.
        context.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        this.baseUrl = baseUrl;
        this.credentials = credentials;
    }

    /**
     * Posts a transaction bundle.
     *
     * @throws ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException when FHIR answers with
     *     an error, {@link ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException} when it
     *     cannot be reached
     */
    void transaction(Bundle bundle) {
        client().transaction().withBundle(bundle).execute();
    }

    /** The ImagingStudy with this identifier, if FHIR has one. */
    Optional<ImagingStudy> imagingStudy(Identifier identifier) {
        Bundle found = client().search().forResource(ImagingStudy.class)
                .where(ImagingStudy.IDENTIFIER.exactly().systemAndIdentifier(identifier.getSystem(), identifier.getValue()))
                .returnBundle(Bundle.class)
                .execute();
        return found.getEntry().stream().map(entry -> entry.getResource())
                .filter(ImagingStudy.class::isInstance).map(ImagingStudy.class::cast).findFirst();
    }

    private IGenericClient client() {
        // The base is looked up per call: in the all-in-one server it is known once the port is bound.
        IGenericClient client = context.newRestfulGenericClient(baseUrl.get().toString());
        client.registerInterceptor(new BearerToken(credentials));
        return client;
    }

    URI baseUrl() {
        return baseUrl.get();
    }

    /** Adds a fresh service-account token to each request (the credentials renew it before expiry). */
    private record BearerToken(ServiceCredentials credentials) implements IClientInterceptor {

        @Override
        public void interceptRequest(IHttpRequest request) {
            request.addHeader("Authorization", "Bearer " + credentials.bearerToken());
        }

        @Override
        public void interceptResponse(IHttpResponse response) {}
    }
}
