package org.medhub.dicomweb.deid;

import org.medhub.dicomweb.index.DicomIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * The de-identification feature, on when {@code medhub.deid.enabled=true}; its configuration is checked at start-up.
 * Its STOW-RS route is registered by {@code stow.StowConfiguration}, under the same switch.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "medhub.deid", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(DeidProperties.class)
@Import(DeidReportController.class)
public class DeidConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DeidConfiguration.class);

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

    /**
     * Brings the researcher's study projection up to date after start-up (studies indexed before an
     * upgrade, a changed profile or key), off the start-up path: a search that needs it refreshes what
     * is still stale itself, waiting for this if it runs.
     */
    @Bean
    ApplicationListener<ApplicationReadyEvent> researcherProjectionBackfill(ResearcherView view) {
        return event -> Thread.ofVirtual().name("deid-projection-backfill").start(() -> {
            try {
                long started = System.nanoTime();
                int studies = view.refreshProjection();
                if (studies > 0) {
                    log.info("Researcher's study projection: {} studies computed in {} ms", studies,
                            (System.nanoTime() - started) / 1_000_000);
                }
            } catch (RuntimeException e) {
                log.warn("Researcher's study projection not brought up to date at start-up ({}); searches will", e.toString());
            }
        });
    }

    @Bean
    Deidentifier deidentifier(DeidProperties properties, DeidProfiles profiles, Environment environment) {
        return new Deidentifier(AttributeTable.standard(), profiles.pixelRules(), properties.effectiveSecret(environment));
    }
}
