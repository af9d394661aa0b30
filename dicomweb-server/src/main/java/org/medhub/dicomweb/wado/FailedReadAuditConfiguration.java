package org.medhub.dicomweb.wado;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Registers {@link FailedReadAudit} for the DICOMweb paths. */
@Configuration(proxyBeanMethods = false)
public class FailedReadAuditConfiguration implements WebMvcConfigurer {

    private final StoredInstances lookup;

    public FailedReadAuditConfiguration(StoredInstances lookup) {
        this.lookup = lookup;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new FailedReadAudit(lookup)).addPathPatterns("/dicomweb/**");
    }
}
