package org.medhub.fhir;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Spring settings HAPI FHIR's JPA configuration cannot run without, applied wherever the FHIR server
 * is embedded (all-in-one or standalone) as lowest-precedence defaults.
 *
 * <p>HAPI wires its search-parameter registry, resource matcher and change listeners to each other
 * through field injection, a cycle Spring Boot refuses by default. MedHub's own beans use constructor
 * injection and have no cycles; the permission exists only for HAPI's internals.
 *
 * <p>HAPI also brings the Elasticsearch client (for an optional Hibernate Search backend MedHub does
 * not use); Spring Boot would otherwise start a client that keeps sniffing for a cluster on localhost.
 */
class HapiSpringDefaults implements EnvironmentPostProcessor {

    private static final String ELASTICSEARCH_CLIENT =
            "org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource(
                "medhub-fhir-hapi-defaults", Map.of(
                        "spring.main.allow-circular-references", "true",
                        "spring.autoconfigure.exclude", ELASTICSEARCH_CLIENT,
                        // HAPI's migrator logs each of its ~1000 tasks at INFO on a fresh database.
                        "logging.level.ca.uhn.fhir.jpa.migrate", "warn")));
    }
}
