package org.medhub.fhir.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medhub.fhir.standalone.FhirServerApplication;
import org.medhub.platform.fhir.MedHubDefinitions;
import org.medhub.platform.testing.KeycloakExtension;
import org.medhub.platform.testing.KeycloakTestServer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * MedHub's extension definitions as a FHIR client finds them: at {@code /fhir/StructureDefinition} by
 * canonical URL, for every role (researchers included), the same as the shipped files, once per URL
 * however often the server starts, and updated in place when a file changes.
 */
@ExtendWith(KeycloakExtension.class)
class DefinitionPublisherIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void eachDefinitionIsPublishedOnceByCanonicalUrlReadableByEveryRoleAndUnchangedByARestart() {
        String dataDirectory = "target/it-postgres/definitions-" + UUID.randomUUID();
        List<StructureDefinition> shipped = MedHubDefinitions.load();
        assertThat(shipped).isNotEmpty();

        try (ConfigurableApplicationContext first = start(dataDirectory)) {
            for (String user : List.of("viewer", "clinician", "researcher", "admin")) {
                for (StructureDefinition definition : shipped) {
                    StructureDefinition found = onlyOne(client(first, user), definition.getUrl());
                    assertThat(DefinitionPublisher.sameContent(found, definition)).as(user + " reads " + definition.getUrl()).isTrue();
                    assertThat(found.getMeta().getVersionId()).isEqualTo("1");
                }
            }
            assertThatThrownBy(() -> client(first, "researcher").read().resource(Patient.class).withId("1").execute())
                    .as("a researcher still reads no identified data").isInstanceOf(ForbiddenOperationException.class);
            assertThatThrownBy(() -> client(first, null).search().byUrl("StructureDefinition").returnBundle(Bundle.class)
                    .execute()).as("without a token").isInstanceOf(AuthenticationException.class);
        }

        try (ConfigurableApplicationContext second = start(dataDirectory)) {
            for (StructureDefinition definition : shipped) {
                assertThat(onlyOne(client(second, "viewer"), definition.getUrl()).getMeta().getVersionId())
                        .as("not rewritten by a second start").isEqualTo("1");
            }

            DefinitionPublisher publisher = second.getBean(DefinitionPublisher.class);
            StructureDefinition changed = shipped.get(0).copy();
            changed.setDescription(changed.getDescription() + " (changed)");
            assertThat(publisher.publish(changed)).isEqualTo(DefinitionPublisher.Outcome.UPDATED);
            assertThat(publisher.publish(changed)).isEqualTo(DefinitionPublisher.Outcome.UNCHANGED);
            StructureDefinition updated = onlyOne(client(second, "viewer"), changed.getUrl());
            assertThat(updated.getDescription()).endsWith("(changed)");
            assertThat(updated.getMeta().getVersionId()).isEqualTo("2");
        }
    }

    @Test
    void twoNodesPublishingANewDefinitionAtOnceStoreItOnce() {
        try (ConfigurableApplicationContext server = start("target/it-postgres/definitions-" + UUID.randomUUID())) {
            DefinitionPublisher publisher = server.getBean(DefinitionPublisher.class);
            StructureDefinition fresh = MedHubDefinitions.load().get(0).copy();
            fresh.setUrl(MedHubDefinitions.CANONICAL_BASE + "race-" + UUID.randomUUID());
            fresh.setId("race");
            CyclicBarrier together = new CyclicBarrier(2);
            List<CompletableFuture<DefinitionPublisher.Outcome>> nodes = List.of(1, 2).stream()
                    .map(node -> CompletableFuture.supplyAsync(() -> {
                        await(together);
                        return publisher.publish(fresh);
                    })).toList();

            assertThat(nodes.stream().map(CompletableFuture::join).toList()).contains(DefinitionPublisher.Outcome.CREATED);
            assertThat(onlyOne(client(server, "viewer"), fresh.getUrl()).getIdElement().getIdPart()).isEqualTo("race");
        }
    }

    private static StructureDefinition onlyOne(IGenericClient client, String url) {
        Bundle found = client.search().forResource(StructureDefinition.class).where(StructureDefinition.URL.matches().value(url))
                .withAdditionalHeader("Cache-Control", "no-cache").returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).as("StructureDefinitions with url " + url).hasSize(1);
        return (StructureDefinition) found.getEntryFirstRep().getResource();
    }

    private static IGenericClient client(ConfigurableApplicationContext server, String user) {
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        IGenericClient client = FHIR.newRestfulGenericClient(
                "http://localhost:" + ((WebServerApplicationContext) server).getWebServer().getPort() + "/fhir");
        if (user != null) {
            client.registerInterceptor(new BearerTokenAuthInterceptor(KeycloakTestServer.shared().token(user)));
        }
        return client;
    }

    private static ConfigurableApplicationContext start(String dataDirectory) {
        return new SpringApplicationBuilder(FhirServerApplication.class)
                .run("--server.port=0", "--medhub.database.data-directory=" + dataDirectory);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
