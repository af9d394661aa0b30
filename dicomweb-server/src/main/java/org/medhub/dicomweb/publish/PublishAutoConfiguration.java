package org.medhub.dicomweb.publish;

import java.net.URI;
import java.time.ZoneId;
import java.util.function.Supplier;
import org.medhub.dicomweb.DicomwebAutoConfiguration;
import org.medhub.dicomweb.changefeed.ChangeFeed;
import org.medhub.dicomweb.index.DicomIndex;
import org.medhub.platform.services.ServiceClients;
import org.medhub.platform.services.ServicesAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Publication of stored studies to FHIR, on unless {@code medhub.dicomweb.publish.enabled=false}.
 * Refuses to start when the DICOMweb module has no service client to publish with.
 */
@AutoConfiguration(after = {DicomwebAutoConfiguration.class, ServicesAutoConfiguration.class,
        CompositeMeterRegistryAutoConfiguration.class})
@ConditionalOnBean(DicomIndex.class)
@ConditionalOnProperty(prefix = "medhub.dicomweb.publish", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(PublishProperties.class)
public class PublishAutoConfiguration {

    static final String MODULE = "dicomweb";

    @Bean
    FhirPublisher fhirPublisher(ChangeFeed feed, DicomIndex index, ServiceClients services,
            PublishProperties properties, MeterRegistry meters) {
        FhirTarget target = new FhirTarget(services::fhirBaseUrl, services.credentials(MODULE));
        // Resolved per use: the all-in-one server's own port is known only once it is bound.
        Supplier<String> dicomweb = () -> properties.dicomwebBaseUrl() != null
                ? properties.dicomwebBaseUrl().toString()
                : siblingDicomweb(services.fhirBaseUrl());
        Supplier<String> accessionSystem = () -> properties.defaultAccessionNumberSystem() != null
                ? properties.defaultAccessionNumberSystem().toString()
                : dicomweb.get() + "/accession-number";
        ImagingStudyMapper mapper = new ImagingStudyMapper(properties.defaultPatientIdentifierSystem(),
                accessionSystem, dicomweb, ZoneId.systemDefault());
        return new FhirPublisher(feed, new IndexedStudies(index), mapper, target, properties, meters);
    }

    /** {@code http://host/fhir} -> {@code http://host/dicomweb}: the URL layout of ARCHITECTURE.md. */
    static String siblingDicomweb(URI fhirBase) {
        return fhirBase.resolve("dicomweb").toString();
    }
}
