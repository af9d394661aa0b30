package org.medhub.ml.api;

import java.util.List;
import java.util.Map;
import org.medhub.ml.registry.ModelRegistry;
import org.medhub.ml.registry.ModelVersion;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The registry: list versions, read one (metrics, curves, subgroup report, card, provenance), activate, delete. */
@RestController
@Tag(name = "Models", description = "Registered model versions")
@RequestMapping("/ml/api/models")
class ModelController {

    private final ModelRegistry registry;

    ModelController(ModelRegistry registry) {
        this.registry = registry;
    }

    @GetMapping
    List<ModelVersion> list(@RequestParam(required = false) String name) {
        MlAccess.READ_MODELS.require();
        return registry.list(name);
    }

    @GetMapping("/{name}/versions/{version}")
    Map<String, Object> get(@PathVariable String name, @PathVariable int version) {
        MlAccess.READ_MODELS.require();
        return registry.details(name, version);
    }

    @GetMapping(value = "/{name}/versions/{version}/model-card", produces = "text/markdown")
    ResponseEntity<String> modelCard(@PathVariable String name, @PathVariable int version) {
        MlAccess.READ_MODELS.require();
        String markdown = (String) registry.details(name, version).get("modelCardMarkdown");
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/markdown;charset=UTF-8")).body(markdown);
    }

    @PostMapping("/{name}/versions/{version}/activate")
    ModelVersion activate(@PathVariable String name, @PathVariable int version) {
        MlAccess.TRAIN.require();
        return registry.activate(name, version);
    }

    @DeleteMapping("/{name}/versions/{version}")
    ResponseEntity<Void> delete(@PathVariable String name, @PathVariable int version) {
        MlAccess.DELETE.require();
        registry.delete(name, version);
        return ResponseEntity.noContent().build();
    }
}
