package org.medhub.dicomweb;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medhub.dicomweb.standalone.DicomwebServerApplication;
import org.medhub.platform.testing.KeycloakExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The standalone DICOMweb server on a random port with its own embedded PostgreSQL and store,
 * trusting the test Keycloak. One annotation for all ITs, so that they share one Spring context
 * (the Keycloak extension must come before Spring's, see {@link KeycloakExtension}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(KeycloakExtension.class)
@SpringBootTest(
        classes = DicomwebServerApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "medhub.database.data-directory=target/it-postgres/dicomweb-${random.uuid}",
            "medhub.data-directory=target/it-data/dicomweb-${random.uuid}",
            "medhub.dicomweb.cors.allowed-origins=https://viewer.example.org",
            // Standalone, there is no /fhir to publish to; the all-in-one ITs in app cover publication.
            "medhub.dicomweb.publish.enabled=false"
        })
public @interface DicomwebServerTest {}
