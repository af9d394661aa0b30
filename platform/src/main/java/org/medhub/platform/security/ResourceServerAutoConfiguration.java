package org.medhub.platform.security;

import jakarta.servlet.DispatcherType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * Every MedHub HTTP API is an OAuth2 resource server: a bearer token from the configured issuer is
 * required everywhere except the health probes and the discovery documents modules declare public
 * ({@link PublicEndpoints}). Roles and scopes in the token decide the rest, per module. Every response
 * carries the browser security headers ({@link ContentSecurityPolicyWriter}).
 */
@AutoConfiguration(before = SecurityAutoConfiguration.class)
@EnableConfigurationProperties(SecurityProperties.class)
public class ResourceServerAutoConfiguration {

    @Bean
    JwtDecoder jwtDecoder(SecurityProperties properties) {
        return TokenValidation.decoder(properties);
    }

    @Bean
    SecurityFilterChain medhubSecurityFilterChain(
            HttpSecurity http,
            JwtDecoder jwtDecoder,
            ObjectProvider<PublicEndpoints> publicEndpoints,
            ObjectProvider<DeniedRequestListener> listeners,
            ObjectProvider<ContentSecurityPolicy> contentSecurityPolicies,
            SecurityProperties properties)
            throws Exception {
        DeniedResponses denied = new DeniedResponses((request, status) ->
                listeners.orderedStream().forEach(listener -> listener.denied(request, status)));
        String[] publicPaths = publicEndpoints.orderedStream().flatMap(p -> p.paths().stream()).toArray(String[]::new);
        ContentSecurityPolicyWriter contentSecurityPolicy = new ContentSecurityPolicyWriter(
                contentSecurityPolicies.orderedStream().toList(), ContentSecurityPolicy.defaultPolicy(properties.issuer()));
        http.csrf(AbstractHttpConfigurer::disable) // bearer tokens only: no cookies, no session to forge
                // Spring Security's defaults stay (nosniff, no-store); framing only by MedHub's own
                // pages (CSP frame-ancestors, and X-Frame-Options for browsers without CSP 2).
                .headers(headers -> headers
                        .frameOptions(frame -> frame.sameOrigin())
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN))
                        .addHeaderWriter(contentSecurityPolicy))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        // CORS preflights never carry credentials (Fetch standard); the modules answer them.
                        .requestMatchers(HttpMethod.OPTIONS, "/**").permitAll()
                        // Spring Boot's error page for a request that was already let through (a 404
                        // on a public path must stay a 404, not turn into a 401 on /error).
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers(publicPaths).permitAll()
                        .requestMatchers("/actuator/**").hasRole(MedHubRole.ADMIN.name())
                        .anyRequest().authenticated())
                .oauth2ResourceServer(server -> server
                        .jwt(jwt -> jwt.decoder(jwtDecoder).jwtAuthenticationConverter(new TokenAuthorities()))
                        .authenticationEntryPoint(denied)
                        .accessDeniedHandler(denied))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(denied).accessDeniedHandler(denied));
        return http.build();
    }
}
