package org.medhub.dicomweb.cors;

import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * CORS for {@code /dicomweb}, ahead of the security filters: preflights carry no token (the platform
 * lets OPTIONS through) and a 401 or 403 must still carry the CORS headers, or the browser hides it
 * from the viewer as a network error.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DicomwebCorsProperties.class)
public class DicomwebCorsConfiguration {

    /** What DICOMweb clients send (PITFALLS.md: OHIF needs authorization, accept, content-type). */
    static final List<String> ALLOWED_HEADERS = List.of("Authorization", "Accept", "Content-Type");
    /** What they read: paging warnings of QIDO-RS, where a stored or rendered object lives. */
    static final List<String> EXPOSED_HEADERS = List.of("Content-Location", "Location", "Warning", "Content-Length");

    @Bean
    FilterRegistrationBean<CorsFilter> dicomwebCorsFilter(DicomwebCorsProperties properties) {
        CorsConfiguration config = new CorsConfiguration();
        properties.allowedOrigins().forEach(config::addAllowedOriginPattern);
        config.setAllowedHeaders(ALLOWED_HEADERS);
        config.setExposedHeaders(EXPOSED_HEADERS);
        config.setAllowedMethods(List.of("GET", "HEAD", "POST", "DELETE", "OPTIONS"));
        config.setAllowCredentials(properties.allowCredentials());
        config.setMaxAge(properties.maxAge());
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/dicomweb/**", config);
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(new CorsFilter(source));
        registration.addUrlPatterns("/dicomweb/*");
        registration.setName("dicomwebCorsFilter");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setEnabled(properties.enabled());
        return registration;
    }
}
