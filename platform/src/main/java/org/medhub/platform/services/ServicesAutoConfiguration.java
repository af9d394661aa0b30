package org.medhub.platform.services;

import org.medhub.platform.security.ResourceServerAutoConfiguration;
import org.medhub.platform.security.SecurityProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/** The {@link ServiceClients} every module may use to call MedHub APIs as its own service account. */
@AutoConfiguration(after = ResourceServerAutoConfiguration.class)
@EnableConfigurationProperties(ServicesProperties.class)
public class ServicesAutoConfiguration {

    @Bean
    ServiceClients serviceClients(ServicesProperties properties, SecurityProperties security, Environment environment) {
        return new ServiceClients(properties, security.issuer(), environment);
    }
}
