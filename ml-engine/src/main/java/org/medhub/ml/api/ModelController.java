package org.medhub.ml.api;

import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.medhub.ml.registry.ModelExchange;
import org.medhub.ml.registry.ModelRegistry;
import org.medhub.ml.train.TrainingRequest;
import org.medhub.ml.registry.ModelVersion;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The registry: list versions, read one (metrics, curves, subgroup report, card, provenance), activate,
 * delete, export a version as a model file and register a model file as a new version.
 */
@RestController
@Tag(name = "Models", description = "Registered model versions")
@RequestMapping("/ml/api/models")
class ModelController {

    private final ModelRegistry registry;
    private final ModelExchange exchange;

    ModelController(ModelRegistry registry, ModelExchange exchange) {
        this.registry = registry;
        this.exchange = exchange;
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

    /** The version as a model file ({@value ModelExchange#FORMAT}) to register elsewhere or later. */
    @GetMapping(value = "/{name}/versions/{version}/export", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ObjectNode> export(@PathVariable String name, @PathVariable int version) {
        MlAccess.TRAIN.require();
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(name + "-v" + version + ".medhub-model.json").build().toString())
                .body(exchange.export(name, version));
    }

    /** Registers a model file exported earlier as the next version of {@code name} (active if none is). */
    @PostMapping(value = "/{name}/versions", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ModelVersion> upload(@PathVariable String name, @RequestBody JsonNode modelFile) {
        String user = MlAccess.TRAIN.require();
        if (!name.matches(TrainingRequest.MODEL_NAME)) {
            throw new IllegalArgumentException("model names are 1-63 lower-case letters, digits and '-', not '" + name + "'");
        }
        ModelVersion registered = exchange.importVersion(name, modelFile, user);
        return ResponseEntity.created(java.net.URI.create("/ml/api/models/" + name + "/versions/" + registered.version()))
                .body(registered);
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
