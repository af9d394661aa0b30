package org.medhub.fhir.rest;

import ca.uhn.fhir.batch2.jobs.export.BulkDataExportProvider;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.IDaoRegistry;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.config.util.ResourceCountCacheUtil;
import ca.uhn.fhir.jpa.provider.DaoRegistryResourceSupportedSvc;
import ca.uhn.fhir.jpa.util.ResourceCountCache;
import ca.uhn.fhir.rest.api.IResourceSupportedSvc;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.provider.ValueSetOperationProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.HardcodedServerAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.CorsInterceptor;
import ca.uhn.fhir.rest.server.interceptor.ResponseHighlighterInterceptor;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.medhub.fhir.FhirProperties;
import org.medhub.platform.web.PublicBaseUrl;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.cors.CorsConfiguration;

/**
 * The FHIR REST API at {@code /fhir}: HAPI's {@link RestfulServer} with the JPA resource providers,
 * the system-level operations (transaction/batch, history), bulk export and a CapabilityStatement
 * generated from what is actually registered.
 *
 * <p>Deliberately not registered: the terminology upload provider, {@code $reindex} and the
 * subscription triggering provider. They change server-wide state and have no authorization of their
 * own; an operator who needs them should add them behind the admin role.
 */
@Configuration(proxyBeanMethods = false)
public class FhirRestConfiguration {

    public static final String BASE_PATH = "/fhir";

    @Bean
    DatabaseBackedPagingProvider fhirPagingProvider(FhirProperties properties) {
        DatabaseBackedPagingProvider pagingProvider = new DatabaseBackedPagingProvider();
        pagingProvider.setDefaultPageSize(properties.defaultPageSize());
        pagingProvider.setMaximumPageSize(properties.maxPageSize());
        return pagingProvider;
    }

    /** Which resource types the server offers: all that have a DAO. */
    @Bean
    IResourceSupportedSvc resourceSupportedSvc(IDaoRegistry daoRegistry) {
        return new DaoRegistryResourceSupportedSvc(daoRegistry);
    }

    /**
     * Resource counts for HAPI's {@code $get-resource-counts} (admins only by the access policy),
     * refreshed in the background rather than per request; no longer shown in the CapabilityStatement.
     */
    @Bean(name = "myResourceCountsCache")
    ResourceCountCache resourceCountsCache(IFhirSystemDao<Bundle, Meta> systemDao) {
        return ResourceCountCacheUtil.newResourceCountCache(systemDao);
    }

    @Bean
    RestfulServer fhirRestfulServer(
            FhirContext fhirContext,
            IFhirSystemDao<Bundle, Meta> systemDao,
            ResourceProviderFactory resourceProviders,
            JpaSystemProvider<Bundle, Meta> systemProvider,
            ValueSetOperationProvider valueSetOperations,
            BulkDataExportProvider bulkExport,
            JpaStorageSettings storageSettings,
            ISearchParamRegistry searchParamRegistry,
            IValidationSupport validationSupport,
            DatabaseBackedPagingProvider pagingProvider,
            FhirProperties properties,
            PublicBaseUrl publicBaseUrl) {
        // Unknown elements and invalid codes are rejected (400 + OperationOutcome) instead of being
        // silently dropped: a clinical store must not accept data it cannot keep.
        fhirContext.setParserErrorHandler(new StrictErrorHandler());

        RestfulServer server = new RestfulServer(fhirContext);
        server.registerProviders(resourceProviders.createProviders());
        server.registerProviders(systemProvider, valueSetOperations);
        if (properties.bulkExport().enabled()) {
            server.registerProvider(bulkExport);
        }
        JpaCapabilityStatementProvider capabilities = new JpaCapabilityStatementProvider(
                server, systemDao, storageSettings, searchParamRegistry, validationSupport);
        // /metadata is public (FHIR R4 3.1.0.3.1); HAPI's per-type resource-count extension would tell
        // anyone how many patients and records this server holds.
        capabilities.setIncludeResourceCounts(false);
        server.setServerConformanceProvider(capabilities);
        server.setPagingProvider(pagingProvider);
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        server.setServerAddressStrategy(
                properties.serverAddress() == null || properties.serverAddress().isBlank()
                        // Paging links and fullUrls from medhub.public-base-url, never the request's Host.
                        ? (context, request) -> publicBaseUrl.resolve(BASE_PATH)
                        : new HardcodedServerAddressStrategy(properties.serverAddress()));
        server.registerInterceptor(new ResponseHighlighterInterceptor());
        server.registerInterceptor(new BatchInteraction());
        if (properties.cors().enabled()) {
            server.registerInterceptor(new CorsInterceptor(corsConfiguration(properties.cors())));
        }
        return server;
    }

    @Bean
    ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer fhirRestfulServer) {
        ServletRegistrationBean<RestfulServer> registration =
                new ServletRegistrationBean<>(fhirRestfulServer, BASE_PATH + "/*");
        registration.setName("fhir");
        registration.setLoadOnStartup(1);
        return registration;
    }

    private static CorsConfiguration corsConfiguration(FhirProperties.Cors cors) {
        CorsConfiguration config = new CorsConfiguration();
        cors.allowedOrigins().forEach(config::addAllowedOriginPattern);
        config.setAllowedHeaders(List.of(
                "Origin", "Accept", "Content-Type", "Authorization", "Cache-Control", "Prefer",
                "If-Match", "If-None-Match", "If-None-Exist", "If-Modified-Since", "X-Requested-With"));
        config.setExposedHeaders(List.of("Location", "Content-Location", "ETag", "Last-Modified", "X-Progress"));
        config.setAllowedMethods(List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
        config.setAllowCredentials(cors.allowCredentials());
        config.setMaxAge(3600L);
        return config;
    }
}
