package org.medhub.dicomweb;

import org.medhub.dicomweb.changefeed.ChangeFeedConfiguration;
import org.medhub.dicomweb.cors.DicomwebCorsConfiguration;
import org.medhub.dicomweb.deid.DeidConfiguration;
import org.medhub.dicomweb.deid.ReadAccess;
import org.medhub.dicomweb.deid.ResearcherView;
import org.medhub.dicomweb.index.IndexConfiguration;
import org.medhub.dicomweb.qido.QidoConfiguration;
import org.medhub.dicomweb.store.StoreConfiguration;
import org.medhub.dicomweb.stow.StowConfiguration;
import org.medhub.dicomweb.wado.WadoConfiguration;
import org.medhub.dicomweb.wadouri.WadoUriController;
import org.medhub.dicomweb.web.DicomwebAccess;
import org.medhub.dicomweb.web.WebConfiguration;
import org.medhub.platform.audit.AuditAutoConfiguration;
import org.medhub.platform.database.DatabaseAutoConfiguration;
import org.medhub.platform.security.ResourceServerAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.web.servlet.MultipartAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Contributes the DICOMweb server at {@code /dicomweb}, one switch for the module: each feature
 * brings its own beans (index, store, STOW-RS, QIDO-RS, WADO-RS and WADO-URI, the change feed,
 * de-identification); publication to FHIR is {@code publish.PublishAutoConfiguration}.
 */
@AutoConfiguration(
        after = {DatabaseAutoConfiguration.class, AuditAutoConfiguration.class, ResourceServerAutoConfiguration.class},
        before = MultipartAutoConfiguration.class)
@ConditionalOnProperty(prefix = "medhub.dicomweb", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties({DicomwebProperties.class, DicomwebLimits.class})
@Import({
    WebConfiguration.class,
    DicomwebCorsConfiguration.class,
    IndexConfiguration.class,
    StoreConfiguration.class,
    ChangeFeedConfiguration.class,
    StowConfiguration.class,
    QidoConfiguration.class,
    WadoConfiguration.class,
    WadoUriController.class,
    DeidConfiguration.class
})
public class DicomwebAutoConfiguration {

    /** Whom the read endpoints show identified images, and whom the researcher's view (when de-identification is on). */
    @Bean
    ReadAccess readAccess(DicomwebAccess access, ObjectProvider<ResearcherView> researcherView) {
        return new ReadAccess(access, researcherView::getIfAvailable);
    }
}
