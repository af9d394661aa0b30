package org.medhub.dicomweb.stow;

import org.medhub.dicomweb.DicomwebLimits;
import org.medhub.dicomweb.DicomwebProperties;
import org.medhub.dicomweb.index.DicomIndex;
import org.medhub.dicomweb.store.DicomStorage;
import org.medhub.dicomweb.web.DicomwebAccess;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.multipart.MultipartResolver;
import org.springframework.web.multipart.support.StandardServletMultipartResolver;
import org.springframework.web.servlet.DispatcherServlet;

/** STOW-RS, and its de-identifying route when {@code medhub.deid.enabled=true}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StowProperties.class)
@Import({StowController.class, StowConfiguration.DeidentifyingRoute.class})
public class StowConfiguration {

    @Bean
    StowService stowService(DicomStorage storage, DicomIndex index, DicomwebProperties properties,
            StowProperties stow, DicomwebLimits limits) {
        return new StowService(storage, index, properties.duplicatePolicy(), stow.transcodedDuplicate(), limits);
    }

    @Bean
    StowRequests stowRequests(StowService service, DicomwebAccess access) {
        return new StowRequests(service, access);
    }

    /**
     * Servlet multipart parsing for {@code multipart/form-data} only: Spring's default resolver would
     * also take STOW-RS's {@code multipart/related} bodies and buffer them whole.
     */
    @Bean(DispatcherServlet.MULTIPART_RESOLVER_BEAN_NAME)
    @ConditionalOnMissingBean(MultipartResolver.class)
    StandardServletMultipartResolver multipartResolver() {
        StandardServletMultipartResolver resolver = new StandardServletMultipartResolver();
        resolver.setStrictServletCompliance(true);
        return resolver;
    }

    /** {@code POST /dicomweb/deid/{profile}/studies}: on with the de-identification feature it needs. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "medhub.deid", name = "enabled", havingValue = "true")
    @Import(DeidStowController.class)
    static class DeidentifyingRoute {}
}
