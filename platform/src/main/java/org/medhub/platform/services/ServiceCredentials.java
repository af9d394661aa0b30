package org.medhub.platform.services;

import java.util.function.Supplier;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;

/**
 * Access tokens of one module's service account. Spring Security's authorized-client manager does
 * the client credentials grant, keeps the token and asks for a new one shortly before it expires.
 * The registration (which needs the issuer's discovery document) is built on first use, so a
 * server may start before its issuer answers.
 */
public final class ServiceCredentials {

    private final String module;
    private final Supplier<ClientRegistration> registration;
    private volatile AuthorizedClientServiceOAuth2AuthorizedClientManager manager;

    ServiceCredentials(String module, Supplier<ClientRegistration> registration) {
        this.module = module;
        this.registration = registration;
    }

    /** A valid access token for an {@code Authorization: Bearer} header. */
    public String bearerToken() {
        OAuth2AuthorizedClient client = manager().authorize(
                OAuth2AuthorizeRequest.withClientRegistrationId(module).principal(module).build());
        if (client == null) {
            throw new IllegalStateException("The issuer granted module " + module + " no access token");
        }
        return client.getAccessToken().getTokenValue();
    }

    private AuthorizedClientServiceOAuth2AuthorizedClientManager manager() {
        AuthorizedClientServiceOAuth2AuthorizedClientManager current = manager;
        if (current == null) {
            synchronized (this) {
                if (manager == null) {
                    var registrations = new InMemoryClientRegistrationRepository(registration.get());
                    var created = new AuthorizedClientServiceOAuth2AuthorizedClientManager(
                            registrations, new InMemoryOAuth2AuthorizedClientService(registrations));
                    created.setAuthorizedClientProvider(
                            OAuth2AuthorizedClientProviderBuilder.builder().clientCredentials().build());
                    manager = created;
                }
                current = manager;
            }
        }
        return current;
    }
}
