package org.medhub.cdshooks;

import java.net.http.HttpClient;
import java.time.Clock;
import org.medhub.cdshooks.cards.Cards;
import org.medhub.cdshooks.discovery.CdsServices;
import org.medhub.cdshooks.feedback.FeedbackConfiguration;
import org.medhub.cdshooks.hooks.HooksConfiguration;
import org.medhub.cdshooks.prefetch.PatientData;
import org.medhub.cdshooks.record.MigrationOnStart;
import org.medhub.cdshooks.record.RiskAssessmentMigration;
import org.medhub.cdshooks.record.RiskAssessments;
import org.medhub.cdshooks.security.ClientTokens;
import org.medhub.cdshooks.security.TrustedClients;
import org.medhub.ml.MlEngineAutoConfiguration;
import org.medhub.ml.MlEngine;
import org.medhub.platform.security.ResourceServerAutoConfiguration;
import org.medhub.platform.services.ServiceClients;
import org.medhub.platform.services.ServicesAutoConfiguration;
import org.medhub.platform.web.WebAddressAutoConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Contributes the CDS Hooks services at {@code /cds-services}: the trusted clients and their JWT
 * check, the services (one per active model with a FHIR spec), prefetch and FHIR reads, cards,
 * RiskAssessment writes with the module's service identity, feedback (in the {@code cds} schema), CORS.
 */
@AutoConfiguration(after = {
    MlEngineAutoConfiguration.class, ResourceServerAutoConfiguration.class, ServicesAutoConfiguration.class,
    WebAddressAutoConfiguration.class
})
@ConditionalOnProperty(prefix = "medhub.cds", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(CdsProperties.class)
@Import({FeedbackConfiguration.class, HooksConfiguration.class})
public class CdsHooksAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CdsHooksAutoConfiguration.class);

    /**
     * CDS clients authenticate with their own JWTs, not MedHub's OIDC tokens: the platform's resource
     * server must not see {@code /cds-services} (it would reject the client's bearer token before the
     * endpoint could check it). The endpoints verify every call themselves ({@link ClientTokens});
     * discovery is public by the spec.
     */
    @Bean
    @Order(10)
    SecurityFilterChain cdsHooksSecurityFilterChain(HttpSecurity http) throws Exception {
        http.securityMatcher("/cds-services", "/cds-services/**")
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
        return http.build();
    }

    @Bean
    TrustedClients cdsTrustedClients(CdsProperties properties) {
        TrustedClients clients = TrustedClients.load(properties.clientFiles());
        if (clients.size() == 0) {
            log.warn("No trusted CDS clients (medhub.cds.client-files is empty): every CDS Hooks call will be refused");
        }
        return clients;
    }

    @Bean
    ClientTokens cdsClientTokens(TrustedClients clients, CdsProperties properties) {
        return new ClientTokens(clients, properties.clockSkew(), Clock.systemUTC());
    }

    @Bean
    CdsServices cdsServices(MlEngine engine, CdsProperties properties) {
        return new CdsServices(engine, properties.specDirectory());
    }

    @Bean
    PatientData cdsPatientData(CdsProperties properties) {
        return new PatientData(cdsHttpClient(properties), properties.fhirTimeout(),
                properties.maxFhirResponseBytes().toBytes());
    }

    @Bean
    Cards cdsCards(CdsProperties properties) {
        return new Cards(properties.thresholds());
    }

    /** Resolved per write, so a server without the service client still answers cards (and logs what is missing). */
    @Bean
    RiskAssessments cdsRiskAssessments(CdsProperties properties, ObjectProvider<ServiceClients> services) {
        return new RiskAssessments(cdsHttpClient(properties), properties.fhirTimeout(),
                () -> services.getObject().fhirBaseUrl(),
                () -> services.getObject().credentials("cds-hooks").bearerToken());
    }

    /** What an earlier MedHub wrote, rewritten once the server is up (see {@link RiskAssessmentMigration}). */
    @Bean
    MigrationOnStart cdsRiskAssessmentMigration(RiskAssessments riskAssessments) {
        return new MigrationOnStart(new RiskAssessmentMigration(riskAssessments));
    }

    @Bean
    WebMvcConfigurer cdsHooksCors(CdsProperties properties) {
        return new WebMvcConfigurer() {
            @Override
            public void addCorsMappings(CorsRegistry registry) {
                registry.addMapping("/cds-services/**")
                        .allowedOrigins(properties.allowedOrigins().toArray(String[]::new))
                        .allowedMethods("GET", "POST", "OPTIONS")
                        .allowedHeaders("Authorization", "Content-Type", "Accept")
                        .allowCredentials(false)
                        .maxAge(3600);
                registry.addMapping("/cds-services")
                        .allowedOrigins(properties.allowedOrigins().toArray(String[]::new))
                        .allowedMethods("GET", "OPTIONS");
            }
        };
    }

    /** Follows no redirect: a FHIR server must not send the service (and the client's token) elsewhere. */
    private static HttpClient cdsHttpClient(CdsProperties properties) {
        return HttpClient.newBuilder().connectTimeout(properties.fhirTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }
}
