package org.medhub.dicomweb.wado;

import org.medhub.dicomweb.index.DicomIndex;
import org.medhub.dicomweb.store.DicomStorage;
import org.medhub.dicomweb.web.DicomwebAccess;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** WADO-RS (objects, metadata, frames, bulk data) and the rendered resources, with the audit of failed reads. */
@Configuration(proxyBeanMethods = false)
@Import({WadoController.class, RenderedController.class, FailedReadAuditConfiguration.class})
public class WadoConfiguration {

    @Bean
    StoredInstances storedInstances(DicomIndex index, DicomwebAccess access) {
        return new StoredInstances(index, access);
    }

    @Bean
    RenderedImages renderedImages(DicomStorage storage) {
        return new RenderedImages(storage);
    }
}
