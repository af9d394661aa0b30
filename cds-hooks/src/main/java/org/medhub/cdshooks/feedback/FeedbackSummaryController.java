package org.medhub.cdshooks.feedback;

import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Set;
import org.medhub.platform.security.MedHubRole;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * How clinicians received a model's CDS cards, per version. Served by cds-hooks, which owns the cards
 * and their feedback, at the path the ML API has always listed it under (beside the model's versions);
 * it answers those who may read models (researchers, clinicians, admins), the others get 403.
 */
@RestController
@Tag(name = "Feedback", description = "CDS Hooks card feedback per model version")
class FeedbackSummaryController {

    private static final Set<MedHubRole> READ_MODELS = Set.of(MedHubRole.RESEARCHER, MedHubRole.CLINICIAN,
            MedHubRole.ADMIN);

    private final FeedbackStore feedback;

    FeedbackSummaryController(FeedbackStore feedback) {
        this.feedback = feedback;
    }

    @GetMapping("/ml/api/models/{name}/feedback")
    List<VersionReception> summary(@PathVariable String name) {
        if (MedHubRole.of(SecurityContextHolder.getContext().getAuthentication()).stream()
                .noneMatch(READ_MODELS::contains)) {
            throw new AccessDeniedException("requires one of the roles " + READ_MODELS);
        }
        return feedback.summary(name);
    }
}
