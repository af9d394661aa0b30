package org.medhub.cdshooks.hooks;

import org.medhub.cdshooks.CdsProperties;
import org.medhub.cdshooks.cards.Cards;
import org.medhub.cdshooks.discovery.CdsServices;
import org.medhub.cdshooks.prefetch.FhirServers;
import org.medhub.cdshooks.prefetch.PatientData;
import org.medhub.cdshooks.record.RiskAssessments;
import org.medhub.cdshooks.request.RequestBodies;
import org.medhub.cdshooks.security.ClientTokens;
import org.medhub.cdshooks.security.TrustedClients;
import org.medhub.cdshooks.feedback.FeedbackStore;
import org.medhub.ml.MlEngine;
import org.medhub.platform.audit.AuditTrail;
import org.medhub.platform.web.PublicBaseUrl;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The CDS Hooks endpoints, the flows behind them and their error handling. */
@Configuration(proxyBeanMethods = false)
@Import({HookController.class, CdsProblems.class})
public class HooksConfiguration {

    @Bean
    RiskHook cdsRiskHook(MlEngine engine, CdsProperties properties) {
        return new RiskHook(engine, properties.thresholds(), properties.maxObservationAge());
    }

    @Bean
    ClientCalls cdsClientCalls(ClientTokens tokens, CdsProperties properties, PublicBaseUrl publicBaseUrl) {
        return new ClientCalls(tokens, new RequestBodies((int) properties.maxRequestBytes().toBytes()), publicBaseUrl);
    }

    @Bean
    HookService cdsHookService(CdsServices services, TrustedClients clients, PublicBaseUrl publicBaseUrl,
            PatientData data, RiskHook hook, Cards cards, RiskAssessments riskAssessments, FeedbackStore feedback,
            AuditTrail audit) {
        return new HookService(services, clients, new FhirServers(publicBaseUrl), data, hook, cards, riskAssessments,
                feedback, audit);
    }

    @Bean
    FeedbackService cdsFeedbackService(HookService hooks, FeedbackStore feedback, AuditTrail audit) {
        return new FeedbackService(hooks, feedback, audit);
    }
}
