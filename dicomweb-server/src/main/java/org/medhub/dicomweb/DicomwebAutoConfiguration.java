package org.medhub.dicomweb;

import java.io.IOException;
import java.nio.file.Path;
import org.medhub.dicomweb.changefeed.ChangeFeed;
import org.medhub.dicomweb.changefeed.ChangeFeedController;
import org.medhub.dicomweb.deid.DeidConfiguration;
import org.medhub.dicomweb.deid.ResearcherView;
import org.medhub.dicomweb.index.DicomIndex;
import org.medhub.dicomweb.index.PatientIdentifiers;
import org.medhub.dicomweb.qido.QidoController;
import org.medhub.dicomweb.stow.StowController;
import org.medhub.dicomweb.stow.StowProperties;
import org.medhub.dicomweb.stow.StowService;
import org.medhub.dicomweb.store.DeleteController;
import org.medhub.dicomweb.store.DicomStorage;
import org.medhub.dicomweb.store.FileSystemStorage;
import org.medhub.dicomweb.cors.DicomwebCorsConfiguration;
import org.medhub.dicomweb.wado.FailedReadAuditConfiguration;
import org.medhub.dicomweb.wado.RenderedController;
import org.medhub.dicomweb.wado.RenderedImages;
import org.medhub.dicomweb.wado.StoredInstances;
import org.medhub.dicomweb.wado.WadoController;
import org.medhub.dicomweb.wadouri.WadoUriController;
import org.medhub.dicomweb.web.DicomwebAccess;
import org.medhub.dicomweb.web.DicomwebExceptionHandler;
import org.medhub.platform.audit.AuditAutoConfiguration;
import org.medhub.platform.audit.AuditTrail;
import org.medhub.platform.database.DatabaseAutoConfiguration;
import org.medhub.platform.database.SchemaDataSources;
import org.medhub.platform.security.ResourceServerAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.web.servlet.MultipartAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.web.multipart.MultipartResolver;
import org.springframework.web.multipart.support.StandardServletMultipartResolver;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Contributes the DICOMweb server at {@code /dicomweb}: the store, the index in schema
 * {@code dicomweb}, and the STOW-RS, QIDO-RS and WADO-RS endpoints.
 */
@AutoConfiguration(
        after = {DatabaseAutoConfiguration.class, AuditAutoConfiguration.class, ResourceServerAutoConfiguration.class},
        before = MultipartAutoConfiguration.class)
@ConditionalOnProperty(prefix = "medhub.dicomweb", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties({DicomwebProperties.class, DicomwebLimits.class, StowProperties.class})
@Import({
    StowController.class,
    ChangeFeedController.class,
    QidoController.class,
    WadoController.class,
    RenderedController.class,
    WadoUriController.class,
    DicomwebCorsConfiguration.class,
    DeleteController.class,
    DicomwebExceptionHandler.class,
    FailedReadAuditConfiguration.class,
    DeidConfiguration.class
})
public class DicomwebAutoConfiguration {

    /** Its own pool on schema {@code dicomweb}, migrated on creation. */
    @Bean(destroyMethod = "close")
    DicomIndex dicomIndex(SchemaDataSources dataSources) {
        return DicomIndex.open(dataSources);
    }

    @Bean
    ChangeFeed changeFeed(DicomIndex index) {
        return new ChangeFeed(index);
    }

    @Bean
    DicomStorage dicomStorage(DicomwebProperties properties, Environment environment) {
        Path directory = properties.storageDirectory() != null
                ? properties.storageDirectory()
                : Path.of(environment.getProperty("medhub.data-directory", "data"), "dicom");
        return new FileSystemStorage(directory);
    }

    /**
     * Before the first request can arrive, repairs what a crash between storing and indexing left
     * (ARCHITECTURE.md: no index row without its file, no stored file invisible forever).
     */
    @Bean
    StowService stowService(DicomStorage storage, DicomIndex index, DicomwebProperties properties,
            StowProperties stow, DicomwebLimits limits) throws IOException {
        index.reconcile(storage);
        return new StowService(storage, index, properties.duplicatePolicy(), stow.transcodedDuplicate(), limits);
    }

    @Bean
    DicomwebAccess dicomwebAccess(AuditTrail auditTrail, ObjectProvider<ResearcherView> researcherView,
            Environment environment) {
        // The publisher's setting, read here too: the audit records name patients as the published Patients do.
        String defaultSystem = environment.getProperty(
                "medhub.dicomweb.publish.default-patient-identifier-system", PatientIdentifiers.DEFAULT_SYSTEM);
        return new DicomwebAccess(auditTrail, researcherView::getIfAvailable, new PatientIdentifiers(defaultSystem));
    }

    @Bean
    StoredInstances storedInstances(DicomIndex index, DicomwebAccess access) {
        return new StoredInstances(index, access);
    }

    @Bean
    RenderedImages renderedImages(DicomStorage storage) {
        return new RenderedImages(storage);
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
}
