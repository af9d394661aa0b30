package org.medhub.viewer.ohif;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medhub.viewer.ViewerProperties;

/**
 * OHIF's {@code app-config.js} for this server: one DICOMweb data source ({@code /dicomweb}, with
 * the query features MedHub's QIDO-RS offers) and the OIDC login at the configured issuer. Written
 * as JSON inside the script, so that no setting can break out of its string.
 */
public final class OhifAppConfig {

    /** OHIF's router and all its own links live under this path. */
    static final String BASE_PATH = "/viewer";

    /**
     * Where Keycloak returns after a sign-out when OHIF names no page itself (its menu always names
     * the current one). Not {@code /}: OHIF mounts its sign-out callback on this URI's full path
     * ({@code /viewer/}) inside a router based at {@code /viewer}, where it matches the study route
     * {@code /viewer/viewer?StudyInstanceUIDs=...}; that callback then rewrote the URL to
     * {@code ??StudyInstanceUIDs=} and no study opened. {@link OhifController} sends this path on to
     * the study list.
     */
    static final String SIGNED_OUT = "/signed-out";

    private final String script;

    public OhifAppConfig(ViewerProperties viewer, String issuer) {
        this.script = "window.config = " + toJson(config(viewer, issuer)) + ";\n";
    }

    String script() {
        return script;
    }

    private static Map<String, Object> config(ViewerProperties viewer, String issuer) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("routerBasename", BASE_PATH);
        config.put("extensions", List.of());
        config.put("modes", List.of());
        config.put("showStudyList", true);
        config.put("maxNumberOfWebWorkers", 2);
        config.put("showWarningMessageForCrossOrigin", false);
        config.put("showCPUFallbackMessage", true);
        config.put("showLoadingIndicator", true);
        config.put("strictZSpacingForVolumeViewport", true);
        config.put("defaultDataSourceName", "medhub");
        config.put("dataSources", List.of(dataSource(viewer.dicomwebRoot())));
        config.put("oidc", List.of(login(viewer, issuer)));
        return config;
    }

    private static Map<String, Object> dataSource(String root) {
        Map<String, Object> configuration = new LinkedHashMap<>();
        configuration.put("friendlyName", "MedHub");
        configuration.put("name", "medhub");
        configuration.put("qidoRoot", root);
        configuration.put("wadoRoot", root);
        configuration.put("wadoUriRoot", root + "/wado");
        configuration.put("qidoSupportsIncludeField", true);
        configuration.put("imageRendering", "wadors");
        configuration.put("thumbnailRendering", "wadors");
        configuration.put("enableStudyLazyLoad", true);
        configuration.put("supportsFuzzyMatching", true);
        configuration.put("supportsWildcard", true);
        configuration.put("supportsReject", false);
        configuration.put("staticWado", false);
        configuration.put("singlepart", "bulkdata,video");
        configuration.put("bulkDataURI", Map.of("enabled", true));
        // Clients differ in boundary quoting; MedHub accepts both (PS3.18 allows either).
        configuration.put("omitQuotationForMultipartRequest", true);
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("namespace", "@ohif/extension-default.dataSourcesModule.dicomweb");
        source.put("sourceName", "medhub");
        source.put("configuration", configuration);
        return source;
    }

    /** Relative URIs: OHIF makes them absolute under this origin and {@link #BASE_PATH}. */
    private static Map<String, Object> login(ViewerProperties viewer, String issuer) {
        Map<String, Object> oidc = new LinkedHashMap<>();
        oidc.put("authority", issuer);
        oidc.put("client_id", viewer.clientId());
        oidc.put("response_type", "code");
        oidc.put("scope", viewer.scope());
        oidc.put("redirect_uri", "/callback");
        oidc.put("silent_redirect_uri", "/silent-refresh.html");
        oidc.put("post_logout_redirect_uri", SIGNED_OUT);
        return oidc;
    }

    private static String toJson(Map<String, Object> config) {
        try {
            // "</script>" cannot occur in the output: '<' is escaped, in case the script is ever inlined.
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(config).replace("<", "\\u003c");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the OHIF configuration", e);
        }
    }
}
