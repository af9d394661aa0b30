package org.medhub.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The all-in-one MedHub server: every module on one port. The modules contribute themselves through
 * their auto-configurations; this class only starts Spring Boot.
 */
@SpringBootApplication
public class MedHubApplication {

    public static void main(String[] args) {
        SpringApplication.run(MedHubApplication.class, args);
    }
}
