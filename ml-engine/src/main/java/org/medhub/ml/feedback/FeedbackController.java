package org.medhub.ml.feedback;

import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.medhub.ml.api.MlAccess;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** How clinicians received a model's CDS cards, per version (who may read models may read this). */
@RestController
@Tag(name = "Feedback", description = "CDS Hooks card feedback per model version")
public class FeedbackController {

    private final FeedbackStore feedback;

    FeedbackController(FeedbackStore feedback) {
        this.feedback = feedback;
    }

    @GetMapping("/ml/api/models/{name}/feedback")
    List<Map<String, Object>> summary(@PathVariable String name) {
        MlAccess.READ_MODELS.require();
        return feedback.summary(name);
    }
}
