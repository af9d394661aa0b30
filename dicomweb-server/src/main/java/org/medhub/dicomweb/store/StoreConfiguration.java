package org.medhub.dicomweb.store;

import java.nio.file.Path;
import org.medhub.dicomweb.DicomwebProperties;
import org.medhub.dicomweb.index.DicomIndex;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/** The store of DICOM objects, its start-up repair against the index, and DELETE. */
@Configuration(proxyBeanMethods = false)
@Import(DeleteController.class)
public class StoreConfiguration {

    @Bean
    DicomStorage dicomStorage(DicomwebProperties properties, Environment environment) {
        Path directory = properties.storageDirectory() != null
                ? properties.storageDirectory()
                : Path.of(environment.getProperty("medhub.data-directory", "data"), "dicom");
        return new FileSystemStorage(directory);
    }

    @Bean
    StoreReconciliation storeReconciliation(DicomIndex index, DicomStorage storage) {
        return new StoreReconciliation(index, storage);
    }
}
