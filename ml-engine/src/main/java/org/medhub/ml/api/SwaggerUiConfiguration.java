package org.medhub.ml.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.OAuthFlows;
import io.swagger.v3.oas.models.security.Scopes;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.medhub.platform.security.ContentSecurityPolicy;
import org.medhub.platform.security.PublicEndpoints;
import org.medhub.platform.security.SecurityProperties;
import org.medhub.platform.web.PublicBaseUrl;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Swagger UI at {@code /swagger-ui/index.html} for people with a MedHub account: the page, its assets
 * and the OpenAPI descriptions are public (like the FHIR CapabilityStatement they describe an API, not
 * data), every call the page makes needs the token it gets by signing in through the configured issuer
 * (Keycloak client {@code medhub-web}, authorization code with PKCE, set in platform-defaults.yaml).
 */
@Configuration(proxyBeanMethods = false)
class SwaggerUiConfiguration {

    /** The name the descriptions give the sign-in; Swagger UI shows it in its "Authorize" dialog. */
    static final String SCHEME = "keycloak";

    private static final String REDIRECT_PAGE = "/swagger-ui/oauth2-redirect.html";

    @Bean
    PublicEndpoints swaggerUiPages() {
        return PublicEndpoints.of("/swagger-ui.html", "/swagger-ui/**", "/v3/api-docs/**");
    }

    /**
     * Every description (each module's group) declares the OAuth2 authorization-code flow at the
     * issuer's endpoints and requires it on every operation, so that "Try it out" sends the token.
     * The endpoint paths are Keycloak's (OpenID Connect discovery would name them, but the UI reads
     * the description, not discovery); another issuer needs them set by hand. The server is
     * {@code medhub.public-base-url}: springdoc would take it from the request's Host header, which
     * any client sets, and the page would send signed-in calls there.
     */
    @Bean
    GlobalOpenApiCustomizer oauth2SignIn(SecurityProperties security, PublicBaseUrl publicBaseUrl) {
        String issuer = security.issuer();
        SecurityScheme signIn = new SecurityScheme()
                .type(SecurityScheme.Type.OAUTH2)
                .description("Sign in through MedHub's identity provider (client medhub-web, PKCE); "
                        + "the roles in your token decide what each operation allows.")
                .flows(new OAuthFlows().authorizationCode(new OAuthFlow()
                        .authorizationUrl(issuer + "/protocol/openid-connect/auth")
                        .tokenUrl(issuer + "/protocol/openid-connect/token")
                        .scopes(new Scopes().addString("openid", "OpenID Connect sign-in"))));
        return openApi -> {
            openApi.setServers(List.of(new Server().url(publicBaseUrl.base()).description("medhub.public-base-url")));
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents().addSecuritySchemes(SCHEME, signIn);
            openApi.setSecurity(List.of(new SecurityRequirement().addList(SCHEME, List.of("openid"))));
        };
    }

    /**
     * Swagger UI's OAuth2 redirect page hands the code back to the page with one inline script: the
     * platform's policy plus that script by hash.
     */
    @Bean
    ContentSecurityPolicy swaggerUiRedirectPolicy(SecurityProperties security) {
        String inlineScripts = String.join(" ", ContentSecurityPolicy.inlineScriptHashes(redirectPage()));
        return new ContentSecurityPolicy(REDIRECT_PAGE,
                ContentSecurityPolicy.defaultPolicy(security.issuer())
                        .replace("script-src 'self';", "script-src 'self' " + inlineScripts + ";"));
    }

    /** The redirect page of the Swagger UI webjar on the class path (its version folder varies). */
    private static String redirectPage() {
        try {
            Resource[] pages = new PathMatchingResourcePatternResolver()
                    .getResources("classpath*:META-INF/resources/webjars/swagger-ui/*/oauth2-redirect.html");
            if (pages.length == 0) {
                return "";
            }
            try (InputStream page = pages[0].getInputStream()) {
                return new String(page.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Swagger UI's oauth2-redirect.html", e);
        }
    }
}
