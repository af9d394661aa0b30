package org.medhub.viewer;

import org.medhub.platform.security.ContentSecurityPolicy;
import org.medhub.platform.security.PublicEndpoints;
import org.medhub.platform.security.SecurityProperties;
import org.medhub.viewer.ohif.OhifAppConfig;
import org.medhub.viewer.ohif.OhifContentSecurityPolicy;
import org.medhub.viewer.ohif.OhifWebConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The OHIF viewer at {@code /viewer/}. Its files are public: they hold no patient data, and OHIF
 * signs the user in itself (OIDC, authorization code flow with PKCE) before it calls
 * {@code /dicomweb} with the user's token.
 */
@AutoConfiguration
@ConditionalOnWebApplication
@ConditionalOnProperty(prefix = "medhub.viewer", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(ViewerProperties.class)
@Import(OhifWebConfiguration.class)
public class ViewerAutoConfiguration {

    @Bean
    PublicEndpoints viewerPublicEndpoints() {
        return PublicEndpoints.of("/viewer", "/viewer/**");
    }

    @Bean
    ContentSecurityPolicy viewerContentSecurityPolicy(SecurityProperties security) {
        return OhifContentSecurityPolicy.of(security.issuer());
    }

    @Bean
    OhifAppConfig ohifAppConfig(ViewerProperties viewer, SecurityProperties security) {
        return new OhifAppConfig(viewer, security.issuer());
    }
}
