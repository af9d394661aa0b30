package org.medhub.dicomweb.index;

import org.medhub.platform.database.SchemaDataSources;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The index: its own pool on schema {@code dicomweb}, migrated on creation. */
@Configuration(proxyBeanMethods = false)
public class IndexConfiguration {

    @Bean(destroyMethod = "close")
    DicomIndex dicomIndex(SchemaDataSources dataSources) {
        return DicomIndex.open(dataSources);
    }
}
