package org.medhub.viewer.ohif;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves OHIF's published build (rewritten at build time to live under {@code /viewer/}) from the
 * classpath, with {@code index.html} for every client-side route, and the headers OHIF needs.
 */
@Configuration(proxyBeanMethods = false)
public class OhifWebConfiguration implements WebMvcConfigurer {

    static final String FILES = "classpath:/org/medhub/viewer/ohif/";

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler(OhifAppConfig.BASE_PATH + "/**")
                .addResourceLocations(FILES)
                .resourceChain(true)
                .addResolver(new ClientRouteResolver());
    }

    /** The empty path never reaches the resource resolvers. */
    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addViewController(OhifAppConfig.BASE_PATH + "/").setViewName("forward:" + OhifAppConfig.BASE_PATH + "/index.html");
    }

    @Bean
    OhifController ohifController(OhifAppConfig appConfig) {
        return new OhifController(appConfig);
    }

    /**
     * Cross-origin isolation: OHIF's decoders and 3D views use SharedArrayBuffer, which browsers
     * only allow on isolated pages. Everything the viewer loads comes from this origin; the calls to
     * the identity provider are CORS requests, which isolation permits.
     */
    @Bean
    FilterRegistrationBean<OncePerRequestFilter> ohifIsolationHeaders() {
        OncePerRequestFilter filter = new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
                response.setHeader("Cross-Origin-Embedder-Policy", "require-corp");
                response.setHeader("X-Content-Type-Options", "nosniff");
                chain.doFilter(request, response);
            }
        };
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns(OhifAppConfig.BASE_PATH, OhifAppConfig.BASE_PATH + "/*");
        registration.setName("ohifIsolationHeaders");
        return registration;
    }
}
