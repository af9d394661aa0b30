package org.medhub.platform.web;

import jakarta.servlet.DispatcherType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * The public base URL and the trusted-proxy filter. Spring's own forwarded-header handling is off
 * ({@code server.forward-headers-strategy: none} in the platform defaults): it believes any client.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = Type.SERVLET)
@EnableConfigurationProperties(WebAddressProperties.class)
public class WebAddressAutoConfiguration {

    @Bean
    PublicBaseUrl publicBaseUrl(WebAddressProperties properties, Environment environment) {
        return new PublicBaseUrl(properties.publicBaseUrl(),
                () -> environment.getRequiredProperty("local.server.port", Integer.class));
    }

    @Bean
    FilterRegistrationBean<ForwardedHeadersFilter> medhubForwardedHeadersFilter(
            PublicBaseUrl publicBaseUrl, WebAddressProperties properties) {
        FilterRegistrationBean<ForwardedHeadersFilter> registration = new FilterRegistrationBean<>(
                new ForwardedHeadersFilter(publicBaseUrl, TrustedProxies.parse(properties.trustedProxies())));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
        registration.addUrlPatterns("/*");
        return registration;
    }
}
