package org.medhub.platform.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Operational defaults every MedHub server shares, whether all-in-one or a module running alone:
 * health probes, Prometheus metrics, graceful shutdown, structured file logs. They sit below every
 * other property source, so an application.yaml or an environment variable still wins.
 */
class PlatformDefaults implements EnvironmentPostProcessor {

    static final String RESOURCE = "META-INF/medhub/platform-defaults.yaml";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        try {
            for (PropertySource<?> source :
                    new YamlPropertySourceLoader().load("medhub-platform-defaults", new ClassPathResource(RESOURCE))) {
                environment.getPropertySources().addLast(source);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }
}
