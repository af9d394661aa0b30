package org.medhub.cdshooks.hooks;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Map;
import org.medhub.cdshooks.cards.CardsResponse;
import org.medhub.cdshooks.discovery.CdsService;
import org.medhub.cdshooks.discovery.CdsServices;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * CDS Hooks 2.0 endpoints: discovery (public), service calls and feedback. The bodies are not bound
 * by Spring ({@code @RequestBody} would read and parse them before the client is known): each call
 * verifies the client's JWT first and reads the body, capped, only then ({@link ClientCalls}).
 */
@RestController
class HookController {

    private final CdsServices services;
    private final ClientCalls calls;
    private final HookService hooks;
    private final FeedbackService feedback;

    HookController(CdsServices services, ClientCalls calls, HookService hooks, FeedbackService feedback) {
        this.services = services;
        this.calls = calls;
        this.hooks = hooks;
        this.feedback = feedback;
    }

    @GetMapping("/cds-services")
    Map<String, Object> discovery() {
        return Map.of("services", services.all().stream().map(CdsService::discovery).toList());
    }

    @PostMapping("/cds-services/{id}")
    CardsResponse call(@PathVariable String id,
            @RequestHeader(name = "Authorization", required = false) String authorization, HttpServletRequest http)
            throws IOException {
        return hooks.call(id, calls.service(id, authorization, http), calls.baseUrl(), http);
    }

    @PostMapping("/cds-services/{id}/feedback")
    ResponseEntity<Void> feedback(@PathVariable String id,
            @RequestHeader(name = "Authorization", required = false) String authorization, HttpServletRequest http)
            throws IOException {
        feedback.record(id, calls.feedback(id, authorization, http), http);
        return ResponseEntity.ok().build();
    }
}
