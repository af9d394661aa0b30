package org.medhub.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class RestAuditEventsTest {

    private final AuditActor viewer = new AuditActor(
            "viewer", "sub-7", "medhub-cli", "http://localhost:8081/realms/medhub", Set.of("viewer"));

    @Test
    void aDeniedReadNamesWhoFromWhereWhatAndTheRefusal() {
        MockHttpServletRequest request = request("GET", "/fhir/Patient/42");
        request.setQueryString("_elements=name&access_token=secret");

        AuditEvent event = RestAuditEvents.denied(request, 403, viewer);

        assertThat(event.getType().getCode()).isEqualTo("rest");
        assertThat(event.getSubtypeFirstRep().getSystem()).isEqualTo(RestAuditEvents.RESTFUL_INTERACTION_SYSTEM);
        assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("read");
        assertThat(event.getAction()).isEqualTo(AuditEventAction.R);
        assertThat(event.getOutcome()).isEqualTo(AuditEventOutcome._4);
        assertThat(event.getOutcomeDesc()).isEqualTo("403 Forbidden");
        assertThat(event.hasRecorded()).isTrue();

        AuditEventAgentComponent user = event.getAgent().stream().filter(a -> a.getRequestor()).findFirst().orElseThrow();
        assertThat(user.getWho().getIdentifier().getValue()).isEqualTo("viewer");
        assertThat(user.getAltId()).isEqualTo("sub-7");
        assertThat(user.getRole()).extracting(r -> r.getCodingFirstRep().getCode()).containsExactly("viewer");
        assertThat(event.getAgent()).anySatisfy(agent -> {
            assertThat(agent.getWho().getIdentifier().getValue()).isEqualTo("medhub-cli");
            assertThat(agent.getNetwork().getAddress()).isEqualTo("10.1.2.3");
        });

        String query = new String(event.getEntityFirstRep().getQuery(), StandardCharsets.UTF_8);
        assertThat(query).isEqualTo("https://medhub.example.org/fhir/Patient/42?_elements=name&access_token=REDACTED");
        assertThat(event.getEntityFirstRep().getDescription()).startsWith("GET https://medhub.example.org/fhir/Patient/42");
        assertThat(event.getSource().getObserver().getDisplay()).isEqualTo("https://medhub.example.org");
    }

    @Test
    void aDeniedWriteByAnUnknownCallerIsAnAnonymousCreateAttempt() {
        AuditEvent event = RestAuditEvents.denied(request("POST", "/dicomweb/studies"), 401, AuditActor.anonymous());

        assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("create");
        assertThat(event.getAction()).isEqualTo(AuditEventAction.C);
        assertThat(event.getOutcomeDesc()).isEqualTo("401 Unauthorized");
        assertThat(event.getAgent()).anySatisfy(agent -> assertThat(agent.getWho().getDisplay()).isEqualTo("anonymous"));
        assertThat(event.getEntityFirstRep().getName()).isEqualTo("https://medhub.example.org/dicomweb/studies");
        assertThat(event.getEntityFirstRep().hasQuery()).isFalse();
    }

    @Test
    void httpMethodsMapToRestfulInteractions() {
        assertThat(RestAuditEvents.interactionOf("PUT")).isEqualTo("update");
        assertThat(RestAuditEvents.interactionOf("PATCH")).isEqualTo("patch");
        assertThat(RestAuditEvents.interactionOf("DELETE")).isEqualTo("delete");
        assertThat(RestAuditEvents.interactionOf("OPTIONS")).isEqualTo("operation");
        assertThat(RestAuditEvents.actionOf("DELETE")).isEqualTo(AuditEventAction.D);
    }

    private static MockHttpServletRequest request(String method, String uri) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, uri);
        request.setScheme("https");
        request.setServerName("medhub.example.org");
        request.setServerPort(443);
        request.setRemoteAddr("10.1.2.3");
        return request;
    }
}
