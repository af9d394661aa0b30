package org.medhub.dicomweb.stow;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** STOW-RS (PS3.18 10.5): {@code POST /dicomweb/studies[/{study}]}. */
@RestController
public class StowController {

    private final StowRequests requests;

    StowController(StowRequests requests) {
        this.requests = requests;
    }

    @PostMapping({"/dicomweb/studies", "/dicomweb/studies/{study}"})
    public ResponseEntity<?> store(HttpServletRequest request, @PathVariable(required = false) String study)
            throws IOException {
        return requests.store(request, study, null);
    }
}
