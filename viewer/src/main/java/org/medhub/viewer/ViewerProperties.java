package org.medhub.viewer;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The OHIF viewer's settings ({@code medhub.viewer.*}).
 *
 * @param enabled whether {@code /viewer/} is served
 * @param dicomwebRoot the DICOMweb service OHIF reads from: a path on this server or an absolute URL
 * @param clientId the OIDC client OHIF logs in with (public, authorization code flow with PKCE)
 * @param scope the scopes OHIF asks the identity provider for
 */
@Validated
@ConfigurationProperties("medhub.viewer")
public record ViewerProperties(
        @DefaultValue("true") boolean enabled,
        @NotBlank @Pattern(regexp = "(/|https?://)\\S*", message = "must be a path starting with / or an http(s) URL")
                @DefaultValue("/dicomweb") String dicomwebRoot,
        @NotBlank @DefaultValue("medhub-web") String clientId,
        @NotBlank @DefaultValue("openid") String scope) {}
