package org.medhub.platform.web;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where this server is reached from outside, and whom to believe about the client's address
 * ({@code medhub.public-base-url}, {@code medhub.trusted-proxies}).
 *
 * @param publicBaseUrl the absolute http(s) URL clients use (no query, fragment or user info), the
 *     base of every URL the server generates: DICOMweb RetrieveURLs, FHIR links, CDS card links and
 *     the audience CDS clients sign for. A port of 0 stands for the port the server listens on
 *     (the dev and test default {@code http://localhost:${server.port}} with a random port)
 * @param trustedProxies IP addresses or CIDR ranges of reverse proxies whose {@code X-Forwarded-For}
 *     and {@code X-Forwarded-Proto} are believed; empty (the default) believes no one
 */
@ConfigurationProperties("medhub")
public record WebAddressProperties(String publicBaseUrl, @DefaultValue List<String> trustedProxies) {}
