package org.medhub.dicomweb.deid;

import org.medhub.dicomweb.index.DicomIndex;
import org.medhub.dicomweb.stow.DeidStowController;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/** The de-identification feature, on when {@code medhub.deid.enabled=true}; its configuration is checked at start-up. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "medhub.deid", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(DeidProperties.class)
@Import({DeidStowController.class, DeidReportController.class})
public class DeidConfiguration {

    @Bean
    DeidProfiles deidProfiles(DeidProperties properties) {
        DeidProfiles profiles = DeidProfiles.load(properties.profilesPath());
        if (profiles.find(properties.researchProfile()).isEmpty()) {
            throw new IllegalStateException("medhub.deid.research-profile: no profile '" + properties.researchProfile()
                    + "' in " + properties.profilesPath().toAbsolutePath());
        }
        return profiles;
    }

    /** The research profile over the index; its pseudonym lookups live in the {@code dicomweb} schema. */
    @Bean
    ResearcherView researcherView(DicomIndex index, Deidentifier deidentifier, DeidProfiles profiles, DeidProperties properties) {
        return new ResearcherView(index, deidentifier, profiles.find(properties.researchProfile()).orElseThrow());
    }

    @Bean
    Deidentifier deidentifier(DeidProperties properties, DeidProfiles profiles, Environment environment) {
        return new Deidentifier(AttributeTable.standard(), profiles.pixelRules(), properties.effectiveSecret(environment));
    }
}
