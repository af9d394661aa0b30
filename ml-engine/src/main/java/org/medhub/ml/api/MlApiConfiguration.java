package org.medhub.ml.api;

import io.swagger.v3.oas.models.info.Info;
import org.medhub.ml.MlProperties;
import org.medhub.platform.audit.AuditTrail;
import org.springdoc.core.models.GroupedOpenApi;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The dataset, cohort and model controllers of {@code /ml/api} (predictions and training runs live in
 * their feature packages), the error handling of every ML controller, and the OpenAPI description.
 */
@Configuration(proxyBeanMethods = false)
@Import({
    DatasetController.class, FhirDatasetController.class, ModelController.class, MlProblems.class,
    SwaggerUiConfiguration.class
})
public class MlApiConfiguration {

    /** Served at {@code /v3/api-docs/ml} and browsable at {@code /swagger-ui/index.html} ({@link SwaggerUiConfiguration}). */
    @Bean
    GroupedOpenApi mlOpenApi() {
        return GroupedOpenApi.builder()
                .group("ml")
                .displayName("MedHub ML engine")
                .pathsToMatch("/ml/api/**")
                .addOpenApiCustomizer(openApi -> openApi.info(new Info()
                        .title("MedHub ML engine")
                        .version("1")
                        .description("Datasets, training runs, the model registry, predictions and explanations. "
                                + "Researchers and admins train models and register versions; a researcher's version "
                                + "is a proposal that only an admin activates (with a reason, kept in the activation "
                                + "history); clinicians and admins predict; admins delete. Counts and ranges of cells "
                                + "smaller than medhub.ml.min-cell-size are withheld from everyone but admins. "
                                + "Uploads are limited in size (413) and jobs waiting in number (503 with Retry-After). "
                                + "Errors are RFC 9457 problem details.")))
                .build();
    }

    @Bean
    MlAudit mlAudit(AuditTrail trail) {
        return new MlAudit(trail);
    }

    @Bean
    SmallCells smallCells(MlProperties properties) {
        return new SmallCells(properties);
    }
}
